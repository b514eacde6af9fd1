#pragma once

#include <string>

namespace paysandbox {

// GET BASE_URL/_sandbox/health: empty when it answers 200 {"status":"ok"}
// within timeout_ms, else one line saying what went wrong. The public
// paysandbox::check_health (paysandbox/health.h) forwards here.
std::string probe_health(const std::string& base_url, int timeout_ms);

}  // namespace paysandbox
