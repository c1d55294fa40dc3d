# Sourced by the scripts that run terraform. TF_PLUGIN_DIR, when set, names
# a provider mirror (the folder holding registry.terraform.io) for
# `terraform init -plugin-dir`; where it is not set and the machine has the
# offline mirror this project's machines ship, that mirror is used.
# Elsewhere nothing is set and terraform downloads providers as usual.
if [[ -z "${TF_PLUGIN_DIR:-}" && -d /opt/tf-plugins/registry.terraform.io ]]; then
    export TF_PLUGIN_DIR=/opt/tf-plugins
fi
