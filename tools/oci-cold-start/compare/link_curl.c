/* Process start when linking libcurl (Debian: libcurl4-openssl-dev), nothing called. */
#include <curl/curl.h>
int main(int argc, char **argv) { (void)argv; if (argc > 5) return (int)curl_version()[0]; return 0; }
