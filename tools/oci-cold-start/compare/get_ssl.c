/* One HTTPS GET with OpenSSL directly. argv: port capath [stop-after-handshake] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  if (!SSL_CTX_load_verify_dir(ctx, argv[2])) return 2;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET; a.sin_port = htons((unsigned short)atoi(argv[1]));
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) return 3;
  SSL *ssl = SSL_new(ctx);
  SSL_set1_host(ssl, "127.0.0.1");
  SSL_set_fd(ssl, fd);
  if (SSL_connect(ssl) != 1) { fprintf(stderr, "handshake failed\n"); return 4; }
  if (argc > 3) return 0;
  const char *req = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  SSL_write(ssl, req, (int)strlen(req));
  char buf[16384]; int n, total = 0;
  while ((n = SSL_read(ssl, buf, sizeof buf)) > 0) total += n;
  return total > 0 ? 0 : 5;
}
