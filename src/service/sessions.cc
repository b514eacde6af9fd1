#include "service/sessions.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "core/ids.h"
#include "core/rules.h"
#include "wire/session_options.h"

namespace paysandbox {
namespace {

// hCaptcha's public test site key: every token passes.
constexpr const char* kTestSiteKey = "10000000-ffff-ffff-ffff-000000000001";

std::string mask_phone(const std::string& phone) {
  std::string digits;
  for (char c : phone)
    if (c >= '0' && c <= '9') digits.push_back(c);
  return "--" + (digits.size() >= 4 ? digits.substr(digits.size() - 4) : digits);
}

std::string mask_email(const std::string& email) {
  const size_t at = email.find('@');
  if (at == std::string::npos || at == 0) return "***";
  return email.substr(0, 1) + "***" + email.substr(at);
}

// is_authorized == false in the fraud signals is the sandbox's switch for a
// session that must pass a challenge before it can be confirmed.
std::optional<Challenge> challenge_for(const SessionOptions& options) {
  const auto& signals = options.fraud_signals;
  if (!signals || !signals->is_authorized || *signals->is_authorized) return std::nullopt;
  Challenge c;
  const std::string email = signals->email ? *signals->email : options.customer_email;
  if (signals->phone && !signals->phone->empty()) {
    c.type = ChallengeType::kSms;
    c.delivery_hint = mask_phone(*signals->phone);
  } else if (!email.empty()) {
    c.type = ChallengeType::kEmail;
    c.delivery_hint = mask_email(email);
  } else {
    c.type = ChallengeType::kHcaptcha;
    c.site_key = kTestSiteKey;
  }
  return c;
}

std::string six_digits() {
  const unsigned long value = std::stoul(random_hex(4), nullptr, 16) % 1000000UL;
  char text[8];
  std::snprintf(text, sizeof text, "%06lu", value);
  return text;
}

}  // namespace

SessionService::SessionService(SessionStore& store, SandboxClock& clock, EventSink& events)
    : store_(store), clock_(clock), events_(events) {
  store_.set_options_codec({encode_session_options, decode_session_options});
}

std::optional<HostedSession> SessionService::load(const std::string& id) { return store_.find(id); }

void SessionService::save(HostedSession& session) { store_.update(session); }

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
  s.options = draft.options;
  s.options.challenge = challenge_for(s.options);
  store_.insert(s);
  return s;
}

HostedSession SessionService::mark_expired(HostedSession session) {
  session.status = SessionStatus::kExpired;
  save(session);
  events_.emit_event(session.account_uid, EventType::kCheckoutSessionExpired,
                     SessionEventData{session, std::nullopt, ""});
  return session;
}

std::optional<HostedSession> SessionService::find(const std::string& id,
                                                  const std::string& account_uid) {
  auto session = load(id);
  if (!session || (!account_uid.empty() && session->account_uid != account_uid))
    return std::nullopt;
  if (session->status == SessionStatus::kActive &&
      clock_.account_now(session->account_uid) >= session->expires_at) {
    session = transition([&] {
      auto current = load(id);  // another caller may have expired it meanwhile
      if (current && current->status == SessionStatus::kActive) current = mark_expired(*current);
      return current;
    });
  }
  return session;
}

Result<HostedSession> SessionService::open(const std::string& id, const Account& account,
                                           const Access& access) {
  auto session = find(id, account.uid);
  const bool from_browser = !access.client_secret.empty();
  if (!session) return not_found("No hosted session '" + id + "' in this payment account.");
  if (from_browser) {
    if (session->client_secret != access.client_secret)
      return make_error(ErrorCode::kUnauthorized,
                        "This client_secret belongs to another session; use the "
                        "client_secret returned when session " +
                            id + " was created.");
    if (!access.browser_allowed)
      return make_error(ErrorCode::kForbidden,
                        "Only the merchant's server (with its bearer token) may do this; "
                        "a client_secret may not.");
    const auto& allowed = account.allowed_origins;
    if (!access.origin.empty() && access.origin != access.own_origin &&
        std::find(allowed.begin(), allowed.end(), access.origin) == allowed.end())
      return make_error(ErrorCode::kOriginNotAllowed,
                        "Origin '" + access.origin +
                            "' is not in this account's allowed_origins; add it with PUT "
                            "/api/paymentaccounts/{uid}/checkout-config.");
  }
  if (access.scope && session->scope != *access.scope)
    return make_error(ErrorCode::kInsufficientScope,
                      "Session " + id + " has scope '" + session_scope_name(session->scope) +
                          "'; this route needs a '" + session_scope_name(*access.scope) +
                          "' session.");
  if (session->status == SessionStatus::kExpired && !(access.expired_ok && !from_browser))
    return make_error(ErrorCode::kSessionExpired, "Session " + id + " expired at " +
                                                      format_rfc3339(session->expires_at) +
                                                      "; create a new one.");
  return *session;
}

Status SessionService::may_delete_method(const HostedSession& session,
                                         const std::string& method_uid) {
  for (const auto& locked : session.options.locked_payment_methods)
    if (locked.payment_method_uid == method_uid)
      return make_error(
          ErrorCode::kConflict,
          "Saved method " + method_uid + " is locked in this session" +
              (locked.reason.empty() ? std::string(".") : " (" + locked.reason + ").") +
              " It cannot be deleted here.",
          "payment_method_uid");
  return ok_status();
}

Result<HostedSession> SessionService::with_challenge(const std::string& id,
                                                     const std::string& account_uid) {
  auto session = find(id, account_uid);
  if (!session) return not_found("No hosted session '" + id + "' in this account.");
  if (!session->options.challenge)
    return not_found("Session " + session->id + " has no challenge.");
  return *session;
}

Status SessionService::check_amount(const Account& account, std::int64_t amount) {
  if (within_payment_limits(account, amount)) return ok_status();
  return validation_error(
      "amount", "'amount' must be between " + std::to_string(account.minimum_payment_amount) +
                    " and " + std::to_string(account.maximum_payment_amount) +
                    " cents for this account; got " + std::to_string(amount) + ".");
}

Status SessionService::may_change(const HostedSession& session) {
  if (session.status == SessionStatus::kActive) return ok_status();
  return make_error(ErrorCode::kAlreadyConfirmed, "Session " + session.id + " is " +
                                                      session_status_name(session.status) +
                                                      " (payment " + session.payment_uid +
                                                      "); only an active session can change.");
}

std::string SessionService::account_of_secret(const std::string& client_secret) {
  const size_t cut = client_secret.find("_secret_");
  if (cut == std::string::npos) return {};
  auto session = store_.find(client_secret.substr(0, cut));
  return session && session->client_secret == client_secret ? session->account_uid : "";
}

Result<HostedSession> SessionService::update(const HostedSession& session) {
  return transition([&]() -> Result<HostedSession> {
    auto stored = load(session.id);
    if (!stored) return not_found("No hosted session '" + session.id + "'.");
    TRY(may_change(*stored));
    HostedSession copy = session;
    save(copy);
    return copy;
  });
}

Result<HostedSession> SessionService::expire(const std::string& id) {
  return transition([&]() -> Result<HostedSession> {
    auto session = load(id);
    if (!session) return not_found("No hosted session '" + id + "'.");
    if (session->status == SessionStatus::kCompleted)
      return make_error(ErrorCode::kAlreadyConfirmed, "The session was already paid (payment " +
                                                          session->payment_uid +
                                                          "); a completed session cannot expire.");
    if (session->status == SessionStatus::kExpired) return *session;
    session->expires_at = clock_.account_now(session->account_uid);
    return mark_expired(*session);
  });
}

Result<HostedSession> SessionService::complete(const std::string& id,
                                               const Completion& completion) {
  return transition([&]() -> Result<HostedSession> {
    auto session = load(id);
    if (!session) return not_found("No hosted session '" + id + "'.");
    if (session->status != SessionStatus::kActive)
      return make_error(ErrorCode::kAlreadyConfirmed,
                        "The session is " + std::string(session_status_name(session->status)) +
                            "; it was confirmed already.");
    session->status = SessionStatus::kCompleted;
    session->payment_uid = completion.payment.uid;
    session->completed_at = clock_.account_now(session->account_uid);
    session->options.saved_method_id = completion.saved_method_id;
    session->options.ach_authorization = completion.ach_authorization;
    save(*session);
    events_.emit_event(
        session->account_uid, EventType::kCheckoutSessionCompleted,
        SessionEventData{*session, completion.payment, checkout_method_name(completion.method)});
    return *session;
  });
}

Result<Challenge> SessionService::send_challenge(const std::string& id) {
  return transition([&]() -> Result<Challenge> { return send_challenge_locked(id); });
}

Result<Challenge> SessionService::send_challenge_locked(const std::string& id) {
  auto session = load(id);
  if (!session) return not_found("No hosted session '" + id + "'.");
  if (session->status == SessionStatus::kCompleted)
    return make_error(ErrorCode::kAlreadyConfirmed,
                      "Session " + id + " was paid already; there is nothing left to verify.");
  if (!session->options.challenge)
    return validation_error("challenge", "Session " + id +
                                             " has no challenge to send; its config's "
                                             "challenge is null.");
  Challenge& challenge = *session->options.challenge;
  if (is_captcha(challenge.type)) return challenge;
  const Millis now = clock_.account_now(session->account_uid);
  if (!challenge.code_sent || now - challenge.sent_at >= kResendWindow) {
    challenge.code = six_digits();
    challenge.code_sent = true;
    challenge.sent_at = now;
    save(*session);
  }
  return challenge;
}

int SessionService::expire_active(const std::string& account_uid, const std::string& id) {
  return transition([&] {
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
  });
}

void SessionService::expire_due(const std::string& account_uid) {
  auto accounts =
      account_uid.empty() ? store_.accounts_with_active() : std::vector<std::string>{account_uid};
  transition([&] {
    for (const auto& uid : accounts)
      for (auto& session : store_.due_for_expiry(uid, clock_.account_now(uid)))
        mark_expired(std::move(session));
  });
}

std::vector<HostedSession> SessionService::list(const std::string& account_uid) {
  expire_due(account_uid);
  return store_.list_for_account(account_uid);
}

}  // namespace paysandbox
