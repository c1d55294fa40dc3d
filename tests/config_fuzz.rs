//! Arbitrary input as `tfgen.hcl` never panics: it parses or it is refused
//! with diagnostics that carry a position.

use std::path::Path;

use proptest::prelude::*;
use tfgen::config::Config;
use tfgen::error::Error;

fn check(bytes: &[u8]) {
    match Config::parse(Path::new("tfgen.hcl"), bytes) {
        Ok(config) => assert!(!config.environments.is_empty()),
        Err(Error::Invalid(diagnostics)) => {
            assert!(!diagnostics.is_empty());
            for diagnostic in diagnostics {
                assert!(diagnostic.to_string().starts_with("error["), "{diagnostic}");
            }
        }
        Err(other) => panic!("unexpected error kind: {other}"),
    }
}

/// Fragments of real configurations, so generated inputs get deep into the
/// parser and the checks instead of failing on the first byte.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("environment".to_string()),
        Just("\"prod\"".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("profile = \"hardened\"".to_string()),
        Just("variables = {".to_string()),
        Just("env = \"x\"".to_string()),
        Just("artifacts_bucket_name = \"b\"".to_string()),
        Just("\n".to_string()),
        Just("=".to_string()),
        Just("${var.x}".to_string()),
        Just("# comment\n".to_string()),
        "[a-z_\"{}=\\[\\]., \n]{0,8}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }

    #[test]
    fn config_like_text_never_panics(parts in proptest::collection::vec(fragment(), 0..40)) {
        check(parts.join(" ").as_bytes());
    }
}
