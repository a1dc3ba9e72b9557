// The whole fdk-cpp handler API in one include.
#pragma once

#include "fdk/config.hpp"
#include "fdk/context.hpp"
#include "fdk/headers.hpp"
#include "fdk/http_error.hpp"
#include "fdk/response.hpp"
#include "fdk/run.hpp"
#include "fdk/version.hpp"
