#pragma once

#include <cstdint>
#include <string>

namespace paysandbox {

// The value of X-Webhook-Signature for one delivery (docs/webhooks.md):
// "sha256=" + lowercase hex of HMAC-SHA256(secret, "{timestamp}.{body}").
// A merchant recomputes it over the raw body it received and compares.
std::string webhook_signature(const std::string& secret, std::int64_t timestamp,
                              const std::string& body);

}  // namespace paysandbox
