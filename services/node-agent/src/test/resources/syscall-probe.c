/* Tries one privileged syscall and exits with 0 if the kernel allowed it, else with its errno.
 * No libc (built with -nostdlib -static), so it fits in an environment variable of a test container.
 *   keyctl: add_key("user", ...) to the process keyring   raw: socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) */
static long sys(long n, long a, long b, long c, long d, long e) {
    long r;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    __asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
    return r;
}

static int eq(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return *a == *b;
}

void run(long argc, char **argv) {
    long r = -22; /* EINVAL: unknown probe */
    if (argc > 1 && eq(argv[1], "keyctl")) r = sys(248, (long) "user", (long) "berth", (long) "v", 1, -2);
    if (argc > 1 && eq(argv[1], "raw")) r = sys(41, 2, 3, 1, 0, 0);
    sys(60, r < 0 ? -r : 0, 0, 0, 0, 0);
}

__asm__(".globl _start\n_start:\n mov (%rsp), %rdi\n lea 8(%rsp), %rsi\n and $-16, %rsp\n call run\n");
