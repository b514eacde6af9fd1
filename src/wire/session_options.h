#pragma once

#include <string>

#include "core/session.h"

namespace paysandbox {

// The parts of a session's wire form that services need, behind a header
// free of nlohmann (wire/session_json.h has the JSON shapes).

// A session's documented options as stored (one text column) and back. An
// unreadable text reads as the defaults.
std::string encode_session_options(const SessionOptions& options);
SessionOptions decode_session_options(const std::string& text);

// success_url with the literal {CHECKOUT_SESSION_ID} replaced by the id.
std::string resolved_success_url(const HostedSession& session);

// The lower-case brand a browser names a card by ("VISA" -> "visa").
std::string card_type_of(const std::string& card_brand);

}  // namespace paysandbox
