/* One HTTPS GET with libcurl. argv: url capath [stop-after-connect] */
#include <curl/curl.h>
#include <stdio.h>
static size_t sink(char *p, size_t s, size_t n, void *u) { (void)p; (void)u; return s * n; }
int main(int argc, char **argv) {
  CURL *c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, argv[1]);
  curl_easy_setopt(c, CURLOPT_CAINFO, NULL);
  curl_easy_setopt(c, CURLOPT_CAPATH, argv[2]);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
  if (argc > 3) curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) { fprintf(stderr, "curl: %s\n", curl_easy_strerror(rc)); return 1; }
  curl_easy_cleanup(c);
  return 0;
}
