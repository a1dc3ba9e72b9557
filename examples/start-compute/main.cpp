#include "start_compute.hpp"

int main() { return fdk::run(start_compute::handler()); }
