#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace paysandbox {

// Where the fields of a service's input sat in the request body: pairs of
// (field or member of the input, its path in the request). Services name
// fields within the struct they were given ("last4", "method.type"); the
// route, which parsed the body, knows where each one came from.
//
// An entry matches a param equal to its field or starting with its field
// and a dot; the longest match wins, and the rest of the param follows the
// entry's path. The entry "" matches every param. An entry with an empty
// path marks a field that is not in the body (a URL segment): the error then
// names no param.
using FieldPaths = std::vector<std::pair<std::string, std::string>>;

// `error` placed at its request path: the param and, when the message names
// the field, the message (composed again, see placed_at in core/status.h).
// Params no entry matches already are request paths and stay.
Error at_request_path(Error error, const FieldPaths& paths);

template <typename T>
Result<T> at_request_path(Result<T> result, const FieldPaths& paths) {
  if (result.ok()) return result;
  return at_request_path(result.error(), paths);
}

// Where the platform body puts a tokenized instrument's details:
// "payment_method.credit" or "payment_method.ach".
std::string claim_path(MethodKind kind);

// The platform's payment_method object ({payment_method_type, credit | ach |
// wallet}) as the payment service names it: the member "method" of its input.
FieldPaths payment_method_paths(MethodKind kind);

}  // namespace paysandbox
