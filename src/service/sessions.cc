#include "service/sessions.h"

#include <limits>

#include "core/ids.h"

namespace paysandbox {

SessionService::SessionService(SessionStore& store, SandboxClock& clock, EventSink& events)
    : store_(store), clock_(clock), events_(events) {}

HostedSession SessionService::create(const Account& account, const SessionDraft& draft) {
  HostedSession s;
  s.id = new_id("cs_");
  s.client_secret = s.id + "_secret_" + random_hex(16);
  s.account_uid = account.uid;
  s.scope = draft.scope;
  s.amount = draft.amount;
  s.currency = draft.currency;
  s.success_url = draft.success_url;
  s.cancel_url = draft.cancel_url;
  s.customer_reference_id = draft.customer_reference_id;
  s.line_items = draft.line_items;
  s.created_at = clock_.account_now(account.uid);
  s.expires_at = s.created_at + draft.lifetime;
  store_.insert(s);
  return s;
}

HostedSession SessionService::mark_expired(HostedSession session) {
  session.status = "expired";
  store_.update(session);
  events_.emit_event(session.account_uid, "checkout_session.expired", to_json(session, ""));
  return session;
}

std::optional<HostedSession> SessionService::find(const std::string& id,
                                                  const std::string& account_uid) {
  auto session = store_.find(id);
  if (!session || (!account_uid.empty() && session->account_uid != account_uid))
    return std::nullopt;
  if (session->status == "active" &&
      clock_.account_now(session->account_uid) >= session->expires_at) {
    std::lock_guard<std::mutex> lock(transition_mutex_);
    session = store_.find(id);  // another caller may have expired it meanwhile
    if (session && session->status == "active") session = mark_expired(*session);
  }
  return session;
}

std::string SessionService::account_of_secret(const std::string& client_secret) {
  const size_t cut = client_secret.find("_secret_");
  if (cut == std::string::npos) return {};
  auto session = store_.find(client_secret.substr(0, cut));
  return session && session->client_secret == client_secret ? session->account_uid : "";
}

HostedSession SessionService::update(const HostedSession& session) {
  std::lock_guard<std::mutex> lock(transition_mutex_);
  store_.update(session);
  return session;
}

Result<HostedSession> SessionService::expire(const std::string& id) {
  std::lock_guard<std::mutex> lock(transition_mutex_);
  auto session = store_.find(id);
  if (!session) return not_found("No hosted session '" + id + "'.");
  if (session->status == "completed")
    return make_error(ErrorCode::kConflict, "The session was already paid (payment " +
                                                session->payment_uid +
                                                "); a completed session cannot expire.");
  if (session->status == "expired") return *session;
  session->expires_at = clock_.account_now(session->account_uid);
  return mark_expired(*session);
}

Result<HostedSession> SessionService::complete(const std::string& id,
                                               const std::string& payment_uid,
                                               const json& event_data) {
  std::lock_guard<std::mutex> lock(transition_mutex_);
  auto session = store_.find(id);
  if (!session) return not_found("No hosted session '" + id + "'.");
  if (session->status != "active")
    return make_error(ErrorCode::kAlreadyConfirmed,
                      "The session is " + session->status + "; it was confirmed already.");
  session->status = "completed";
  session->payment_uid = payment_uid;
  session->completed_at = clock_.account_now(session->account_uid);
  store_.update(*session);
  events_.emit_event(session->account_uid, "checkout_session.completed", event_data);
  return *session;
}

int SessionService::expire_active(const std::string& account_uid, const std::string& id) {
  std::lock_guard<std::mutex> lock(transition_mutex_);
  const Millis now = clock_.account_now(account_uid);
  int expired = 0;
  // Every active session is "due" if the deadline is the end of time.
  for (auto& session : store_.due_for_expiry(account_uid, std::numeric_limits<Millis>::max())) {
    if (!id.empty() && session.id != id) continue;
    session.expires_at = now;
    mark_expired(std::move(session));
    ++expired;
  }
  return expired;
}

void SessionService::expire_due(const std::string& account_uid) {
  auto accounts =
      account_uid.empty() ? store_.accounts_with_active() : std::vector<std::string>{account_uid};
  std::lock_guard<std::mutex> lock(transition_mutex_);
  for (const auto& uid : accounts)
    for (auto& session : store_.due_for_expiry(uid, clock_.account_now(uid)))
      mark_expired(std::move(session));
}

std::vector<HostedSession> SessionService::list(const std::string& account_uid) {
  expire_due(account_uid);
  return store_.list_for_account(account_uid);
}

json SessionService::to_json(const HostedSession& s, const std::string& base_url) {
  json out = {
      {"session_id", s.id},
      {"object", "hosted_session"},
      {"scope", s.scope},
      {"status", s.status},
      {"amount", s.amount ? json(*s.amount) : json(nullptr)},
      {"currency", s.currency},
      {"success_url", s.success_url.empty() ? json(nullptr) : json(s.success_url)},
      {"cancel_url", s.cancel_url.empty() ? json(nullptr) : json(s.cancel_url)},
      {"customer_id",
       s.customer_reference_id.empty() ? json(nullptr) : json(s.customer_reference_id)},
      {"line_items", json::parse(s.line_items, nullptr, false)},
      {"payment_uid", s.payment_uid.empty() ? json(nullptr) : json(s.payment_uid)},
      {"created_at", format_rfc3339(s.created_at)},
      {"expires_at", format_rfc3339(s.expires_at)},
      {"completed_at", s.completed_at ? json(format_rfc3339(s.completed_at)) : json(nullptr)}};
  if (!base_url.empty()) out["hosted_url"] = base_url + "/hosted/" + s.id;
  return out;
}

}  // namespace paysandbox
