#include "core/session.h"

#include "core/enum_names.h"

namespace paysandbox {
namespace {

// The one table of each enum's spellings.
constexpr EnumName<SessionStatus> kSessionStatuses[] = {
    {SessionStatus::kActive, "active"},
    {SessionStatus::kCompleted, "completed"},
    {SessionStatus::kExpired, "expired"},
};
constexpr EnumName<SessionScope> kSessionScopes[] = {
    {SessionScope::kPayment, "payment"},
    {SessionScope::kWallet, "wallet"},
};

}  // namespace

const char* session_status_name(SessionStatus status) { return name_in(kSessionStatuses, status); }
std::optional<SessionStatus> session_status_from_name(std::string_view name) {
  return value_in(kSessionStatuses, name);
}
const char* session_scope_name(SessionScope scope) { return name_in(kSessionScopes, scope); }
std::optional<SessionScope> session_scope_from_name(std::string_view name) {
  return value_in(kSessionScopes, name);
}

}  // namespace paysandbox
