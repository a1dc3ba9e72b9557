#include "start_stop.hpp"

int main() { return fdk::run(start_stop::handler()); }
