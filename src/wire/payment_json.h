#pragma once

#include "core/payment.h"
#include "wire/json.h"

namespace paysandbox {

// A payment as the API answers it and as its events carry it. The method is
// echoed sanitized: never a fingerprint or a bin.
json payment_json(const Payment& payment);
// dump_json(payment_json(payment)), byte for byte, without the json tree
// (validate and capture answer with it).
std::string payment_body(const Payment& payment);

}  // namespace paysandbox
