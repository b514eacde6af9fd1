#include "http/field_paths.h"

namespace paysandbox {
namespace {

bool names_member(const std::string& param, const std::string& field) {
  if (field.empty()) return true;
  return param.compare(0, field.size(), field) == 0 &&
         (param.size() == field.size() || param[field.size()] == '.');
}

}  // namespace

Error at_request_path(Error error, const FieldPaths& paths) {
  if (error.param.empty()) return error;
  const std::pair<std::string, std::string>* best = nullptr;
  for (const auto& entry : paths)
    if (names_member(error.param, entry.first) &&
        (!best || entry.first.size() > best->first.size()))
      best = &entry;
  if (!best) return error;
  if (best->second.empty()) {
    error.param.clear();
    error.around_param.clear();
    return error;
  }
  // What follows the matched field: "" or ".<rest>" (all of it for "").
  std::string rest =
      best->first.empty() ? "." + error.param : error.param.substr(best->first.size());
  return placed_at(std::move(error), best->second + rest);
}

std::string claim_path(MethodKind kind) {
  return kind == MethodKind::kAch ? "payment_method.ach" : "payment_method.credit";
}

FieldPaths payment_method_paths(MethodKind kind) {
  return {{"method", "payment_method"},
          {"method.type", "payment_method.payment_method_type"},
          {"method.saved_method_uid", "payment_method.wallet.saved_payment_method_uid"},
          {"method.claim", claim_path(kind)}};
}

}  // namespace paysandbox
