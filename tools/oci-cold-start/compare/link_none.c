/* Baseline: an empty C program (process start without extra libraries). */
int main(void) { return 0; }
