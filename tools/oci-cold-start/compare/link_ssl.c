/* Process start when linking OpenSSL (libssl + libcrypto), nothing called. */
#include <openssl/ssl.h>
int main(int argc, char **argv) { (void)argv; if (argc > 5) return SSL_CTX_new(TLS_client_method()) != 0; return 0; }
