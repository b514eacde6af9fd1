#pragma once

#include <string>

#include "core/status.h"
#include "http/router.h"

namespace paysandbox {

// The one mapping from an error code to its HTTP status and wire spelling.
int http_status_for(ErrorCode code);
const char* wire_code_for(ErrorCode code);
bool recoverable(ErrorCode code);

// The one place an Error becomes an answer: its status and the body
// {"code","message","param"?,"recoverable","request_id", details...}.
// `wire_code` replaces the code's own spelling (a scenario's injected
// errors). The router renders every handler's and interceptor's Error with
// it, and the server what its request parser refuses before routing.
Reply error_reply(const Error& error, const std::string& request_id,
                  const std::string& wire_code = {});

}  // namespace paysandbox
