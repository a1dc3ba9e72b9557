#include "order.hpp"

int main() { return fdk::run_json<Order>(quote); }
