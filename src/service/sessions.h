#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/session.h"
#include "core/status.h"
#include "core/types.h"
#include "service/event_sink.h"
#include "store/session_store.h"

namespace paysandbox {

struct SessionDraft {
  std::string scope = "payment";
  std::optional<std::int64_t> amount;
  std::string currency = "USD";
  std::string success_url;
  std::string cancel_url;
  std::string customer_reference_id;
  std::string line_items = "[]";
  Millis lifetime = 1800 * kSecond;
};

// Hosted sessions: their lifecycle (active -> completed | expired) and its
// two events, each emitted exactly once.
class SessionService {
 public:
  SessionService(SessionStore& store, SandboxClock& clock, EventSink& events);

  HostedSession create(const Account& account, const SessionDraft& draft);

  // The session as it stands now: an active one past its expiry is expired
  // first (and checkout_session.expired emitted). nullopt when unknown, or
  // when `account_uid` is given and the session is another account's.
  std::optional<HostedSession> find(const std::string& id, const std::string& account_uid = {});
  // Every session of the account, oldest first, each as it stands now (the
  // due ones expired first).
  std::vector<HostedSession> list(const std::string& account_uid);
  // The account of the session a client_secret belongs to; empty if none.
  std::string account_of_secret(const std::string& client_secret);

  // Amount / line items of an active session.
  HostedSession update(const HostedSession& session);
  // Expires an active session now (no-op for an expired one); 409 when it
  // has completed.
  Result<HostedSession> expire(const std::string& id);
  // Marks the session paid and emits checkout_session.completed; 409
  // already_confirmed when it was already.
  Result<HostedSession> complete(const std::string& id, const std::string& payment_uid,
                                 const json& event_data);
  // Expires the account's active session `id` now, or every active one when
  // `id` is empty (a scenario's expire_session step). Returns how many did.
  // A session that is not active, or not the account's, is left alone.
  int expire_active(const std::string& account_uid, const std::string& id);
  // Expires every active session of the account whose time has come (clock
  // advance).
  // `account_uid` empty = every account.
  void expire_due(const std::string& account_uid);

  // The wire form of a session; `base_url` builds hosted_url.
  static json to_json(const HostedSession& session, const std::string& base_url);

 private:
  // Under transition_mutex_.
  HostedSession mark_expired(HostedSession session);

  SessionStore& store_;
  SandboxClock& clock_;
  EventSink& events_;
  // Serializes status transitions, so each event is emitted once and a
  // session is confirmed at most once.
  std::mutex transition_mutex_;
};

}  // namespace paysandbox
