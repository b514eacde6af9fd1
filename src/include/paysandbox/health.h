#pragma once

#include <string>

namespace paysandbox {

// The readiness check CI and container health checks use: asks
// BASE_URL/_sandbox/health (BASE_URL such as "http://127.0.0.1:8080", a path
// prefix allowed) and returns empty when it answers 200 {"status":"ok"}
// within timeout_ms, else one line saying what went wrong (nothing
// listening, no answer in time, another status, another body).
std::string check_health(const std::string& base_url, int timeout_ms = 2000);

}  // namespace paysandbox
