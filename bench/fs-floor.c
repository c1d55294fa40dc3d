/* The kernel's part of a fresh `tfgen render --all` (bench/scale.sh): the
 * same tree of directories and files, created by a program that does
 * nothing else. Each environment is <env>/{hcl,json}/ with six files of
 * 200 to 8,000 bytes (tfgen's seed stack is 19 KB per environment), written
 * as tfgen writes a new tree: under a hidden root, on `threads` threads,
 * then one rename.
 *
 *   cc -O2 -pthread bench/fs-floor.c -o fs-floor && ./fs-floor 10000 2
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const int sizes[6] = {8000, 750, 200, 270, 1040, 310};
static char contents[8192];
static int environments;
static int next_environment;
static pthread_mutex_t queue = PTHREAD_MUTEX_INITIALIZER;

static void must(int ok, const char *what, const char *path) {
    if (!ok) {
        perror(what);
        fprintf(stderr, "  at %s\n", path);
        exit(2);
    }
}

static void *work(void *unused) {
    (void)unused;
    char path[256];
    for (;;) {
        pthread_mutex_lock(&queue);
        int first = next_environment;
        next_environment += 16;
        pthread_mutex_unlock(&queue);
        if (first >= environments) return NULL;
        for (int e = first; e < first + 16 && e < environments; e++) {
            snprintf(path, sizeof path, ".out.tmp/e%d", e);
            must(mkdir(path, 0777) == 0, "mkdir", path);
            for (int format = 0; format < 2; format++) {
                const char *name = format ? "json" : "hcl";
                snprintf(path, sizeof path, ".out.tmp/e%d/%s", e, name);
                must(mkdir(path, 0777) == 0, "mkdir", path);
                for (int file = 0; file < 6; file++) {
                    snprintf(path, sizeof path, ".out.tmp/e%d/%s/file%d.tf", e, name, file);
                    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
                    must(fd >= 0, "open", path);
                    must(write(fd, contents, sizes[file]) == sizes[file], "write", path);
                    close(fd);
                }
            }
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: fs-floor ENVIRONMENTS THREADS (in an empty directory)\n");
        return 2;
    }
    environments = atoi(argv[1]);
    int threads = atoi(argv[2]);
    if (threads < 1 || threads > 64) threads = 1;
    memset(contents, 'x', sizeof contents);
    must(mkdir(".out.tmp", 0777) == 0, "mkdir", ".out.tmp");
    pthread_t thread[64];
    for (int t = 0; t < threads; t++) pthread_create(&thread[t], NULL, work, NULL);
    for (int t = 0; t < threads; t++) pthread_join(thread[t], NULL);
    must(rename(".out.tmp", "out") == 0, "rename", "out");
    return 0;
}
