// A merchant's flow against an embedded sandbox, no test framework needed:
// a webhook receiver, an account that posts to it, a saved card, a payment,
// and the signed payment.completed delivery.
#include <paysandbox/receiver.h>
#include <paysandbox/sandbox.h>
#include <paysandbox/test_account.h>

#include <cstdio>
#include <string>

int main() {
  auto opened = paysandbox::Sandbox::open();  // a running sandbox, or why not (no exceptions)
  if (!opened) return std::fprintf(stderr, "sandbox: %s\n", opened.error.c_str()), 1;
  paysandbox::WebhookReceiver receiver;  // 127.0.0.1, a free port
  paysandbox::api::AccountSettings settings;
  settings.callback_url = receiver.url();
  paysandbox::TestAccount account(*opened.sandbox, settings);  // isolated, bearer obtained
  receiver.set_secret(account.account().webhook_secret);

  auto card = account.save_card(account.create_customer("user-42"), "4111111111111111");
  auto payment = account.pay(card, 10000);  // validated, then captured with the quoted fee
  auto event = account.wait_for_event("payment.completed");
  auto delivery = account.wait_for_delivery(event);  // long-polls until the attempt is recorded

  // event.data is the JSON text of the envelope's data: parse it with any
  // JSON library, or just look for the payment's uid in it.
  const bool ok = payment.status == paysandbox::api::PaymentStatus::kCompleted &&
                  event.data.find(payment.uid) != std::string::npos &&
                  delivery.status_code == 200 && receiver.received().at(0).signature_ok;
  std::printf("%s: %s of %lld cents, %s delivered to %s\n", ok ? "ok" : "FAILED",
              payment.uid.c_str(), static_cast<long long>(payment.total_amount), event.id.c_str(),
              delivery.url.c_str());
  return ok ? 0 : 1;
}
