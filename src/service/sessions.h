#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/payment.h"
#include "core/session.h"
#include "core/status.h"
#include "core/types.h"
#include "service/event_sink.h"
#include "store/session_store.h"

namespace paysandbox {

struct SessionDraft {
  SessionScope scope = SessionScope::kPayment;
  std::optional<std::int64_t> amount;
  std::string currency = "USD";
  std::string success_url;
  std::string cancel_url;
  std::string customer_reference_id;
  std::string line_items = "[]";
  Millis lifetime = 1800 * kSecond;
  SessionOptions options;
};

// What confirm recorded about a completed payment, for its event.
struct Completion {
  Payment payment;
  CheckoutMethod method = CheckoutMethod::kCard;  // as the browser named it
  std::string saved_method_id;
  std::string ach_authorization;
};

// Hosted sessions: their lifecycle (active -> completed | expired) and its
// two events, each emitted exactly once; and their challenge.
class SessionService {
 public:
  // A resend of the one-time code within this window keeps the same code.
  static constexpr Millis kResendWindow = 60 * kSecond;

  SessionService(SessionStore& store, SandboxClock& clock, EventSink& events);

  // Decides the challenge from the fraud signals (is_authorized == false:
  // sms when a phone is known, email when an email is, else hcaptcha).
  HostedSession create(const Account& account, const SessionDraft& draft);

  // The session as it stands now: an active one past its expiry is expired
  // first (and checkout_session.expired emitted). nullopt when unknown, or
  // when `account_uid` is given and the session is another account's.
  std::optional<HostedSession> find(const std::string& id, const std::string& account_uid = {});

  // Who asks to act on a session, and what the action needs.
  struct Access {
    // The bearer was this client_secret (a browser); empty: the merchant's
    // server, by its bearer token and account header.
    std::string client_secret;
    // The browser's Origin header, and the page's own origin (always allowed).
    std::string origin;
    std::string own_origin;
    bool browser_allowed = true;        // false: server credentials only
    std::optional<SessionScope> scope;  // the scope the action needs, if any
    bool expired_ok = false;            // the server may read an expired session
  };
  // The account's session `id`, once the caller may act on it: the session's
  // own client_secret, an allowed origin, the scope the action needs, and not
  // expired (unless the server reads it). 404, 401, 403 or 410 otherwise.
  Result<HostedSession> open(const std::string& id, const Account& account, const Access& access);
  // The wallet page may not delete a method the session locks (409).
  static Status may_delete_method(const HostedSession& session, const std::string& method_uid);
  // A payment session's amount must lie within the account's payment limits
  // (400 naming 'amount').
  static Status check_amount(const Account& account, std::int64_t amount);
  // Only an active session changes: 409 already_confirmed for a completed
  // or expired one (update() checks the stored session the same way).
  static Status may_change(const HostedSession& session);
  // The account's session `id`, which has a challenge, as it stands now: how
  // a test reads the one-time code the payer was sent. 404 when the session
  // is unknown or has no challenge.
  Result<HostedSession> with_challenge(const std::string& id, const std::string& account_uid);
  // Every session of the account, oldest first, each as it stands now (the
  // due ones expired first).
  std::vector<HostedSession> list(const std::string& account_uid);
  // The account of the session a client_secret belongs to; empty if none.
  std::string account_of_secret(const std::string& client_secret);

  // Amount / line items of an active session; 409 already_confirmed when the
  // stored session is no longer active (only an active session changes).
  Result<HostedSession> update(const HostedSession& session);
  // Expires an active session now (no-op for an expired one); 409 when it
  // has completed.
  Result<HostedSession> expire(const std::string& id);
  // Marks the session paid and emits checkout_session.completed (with the
  // payment and the session's metadata); 409 already_confirmed when it was
  // already.
  Result<HostedSession> complete(const std::string& id, const Completion& completion);
  // Sends (or, within kResendWindow, re-sends) the one-time code of the
  // session's sms / email challenge; a no-op for captcha types. 400 when the
  // session has no challenge.
  Result<Challenge> send_challenge(const std::string& id);
  // Expires the account's active session `id` now, or every active one when
  // `id` is empty (a scenario's expire_session step). Returns how many did.
  // A session that is not active, or not the account's, is left alone.
  int expire_active(const std::string& account_uid, const std::string& id);
  // Expires every active session of the account whose time has come (clock
  // advance).
  // `account_uid` empty = every account.
  void expire_due(const std::string& account_uid);

 private:
  // Inside transition().
  HostedSession mark_expired(HostedSession session);
  // send_challenge's body, inside transition().
  Result<Challenge> send_challenge_locked(const std::string& id);
  // The store's row with its options decoded, and the reverse.
  std::optional<HostedSession> load(const std::string& id);
  void save(HostedSession& session);
  // Runs a status transition as one store transaction (a savepoint inside a
  // request's unit of work), holding the store throughout, so each event is
  // emitted once, commits with its change, and a session is confirmed at
  // most once. The store's lock is the only one: a mutex of our own taken
  // around store calls would invert the order with a unit of work.
  template <typename F>
  decltype(auto) transition(F&& f) {
    return store_.store().transaction([&](Connection&) { return f(); });
  }

  SessionStore& store_;
  SandboxClock& clock_;
  EventSink& events_;
};

}  // namespace paysandbox
