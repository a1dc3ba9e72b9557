// The whole fdk-cpp handler API in one include: handlers, responses (with nlohmann::json),
// typed JSON handlers, configuration and logging. Unit tests add <fdk/testing.hpp>.
#pragma once

#include <nlohmann/json.hpp>

#include "fdk/config.hpp"
#include "fdk/context.hpp"
#include "fdk/headers.hpp"
#include "fdk/http_error.hpp"
#include "fdk/json.hpp"
#include "fdk/log.hpp"
#include "fdk/platform.hpp"
#include "fdk/response.hpp"
#include "fdk/run.hpp"
#include "fdk/version.hpp"
