#pragma once

// The project's tests use the library's own webhook receivers
// (paysandbox/receiver.h) under their historical names.

#include <nlohmann/json.hpp>
#include <string>

#include "paysandbox/receiver.h"

namespace testing {

using Received = paysandbox::ReceivedWebhook;
using Receiver = paysandbox::WebhookReceiver;
using ResettingReceiver = paysandbox::ResettingReceiver;
using paysandbox::closed_port;

// Verifies a delivery the way a merchant would.
inline bool signature_valid(const std::string& secret, const Received& received) {
  return paysandbox::signature_valid(secret, received.body, received.signature);
}

// The delivery's body parsed (the library's ReceivedWebhook keeps it as
// text); throws when it is not JSON.
inline nlohmann::json envelope(const Received& received) {
  return nlohmann::json::parse(received.body);
}

}  // namespace testing
