#include "store/payment_store.h"

#include "store/list_sql.h"

namespace paysandbox {
namespace {

constexpr const char* kPaymentColumns =
    "uid, account_uid, status, base_amount, tax_amount, fee_amount, total_amount, currency, "
    "reference_id, method_type, fingerprint, saved_method_uid, last4, card_brand, exp_month, "
    "exp_year, holder_name, routing_number, account_number_suffix, account_type, bank_name, "
    "outcome, method_request, transaction_id, failure_code, refunded_amount, created_at, "
    "captured_at, updated_at, instrument_key";

PaymentMethodType method_type_from(const std::string& name) {
  for (PaymentMethodType type : {PaymentMethodType::kCredit, PaymentMethodType::kAch,
                                 PaymentMethodType::kWalletCredit, PaymentMethodType::kWalletAch})
    if (name == payment_method_type_name(type)) return type;
  return PaymentMethodType::kCredit;
}

Payment read_payment(SQLite::Statement& s) {
  Payment p;
  p.uid = s.getColumn(0).getString();
  p.account_uid = s.getColumn(1).getString();
  p.status = payment_status_from(s.getColumn(2).getString()).value_or(PaymentStatus::kValidated);
  p.base_amount = s.getColumn(3).getInt64();
  p.tax_amount = s.getColumn(4).getInt64();
  p.processing_fee_amount = s.getColumn(5).getInt64();
  p.total_amount = s.getColumn(6).getInt64();
  p.currency = s.getColumn(7).getString();
  p.reference_id = s.getColumn(8).getString();
  PaymentInstrument& m = p.method;
  m.type = method_type_from(s.getColumn(9).getString());
  m.fingerprint = s.getColumn(10).getString();
  m.saved_method_uid = s.getColumn(11).getString();
  m.card.last4 = s.getColumn(12).getString();
  m.card.card_brand = s.getColumn(13).getString();
  m.card.exp_month = s.getColumn(14).getInt();
  m.card.exp_year = s.getColumn(15).getInt();
  m.card.holder_name = m.ach.holder_name = s.getColumn(16).getString();
  m.ach.routing_number = s.getColumn(17).getString();
  m.ach.account_number_suffix = s.getColumn(18).getString();
  m.ach.account_type = s.getColumn(19).getString();
  m.ach.bank_name = s.getColumn(20).getString();
  m.outcome = outcome_from_name(s.getColumn(21).getString()).value_or(Outcome::kApproved);
  p.method_request = s.getColumn(22).getString();
  p.transaction_id = s.getColumn(23).getString();
  p.failure_code = s.getColumn(24).getString();
  p.refunded_amount = s.getColumn(25).getInt64();
  p.created_at = s.getColumn(26).getInt64();
  p.captured_at = s.getColumn(27).getInt64();
  p.updated_at = s.getColumn(28).getInt64();
  return p;
}

void bind_payment(SQLite::Statement& s, const Payment& p) {
  const PaymentInstrument& m = p.method;
  s.bind(1, p.uid);
  s.bind(2, p.account_uid);
  s.bind(3, payment_status_name(p.status));
  s.bind(4, static_cast<std::int64_t>(p.base_amount));
  s.bind(5, static_cast<std::int64_t>(p.tax_amount));
  s.bind(6, static_cast<std::int64_t>(p.processing_fee_amount));
  s.bind(7, static_cast<std::int64_t>(p.total_amount));
  s.bind(8, p.currency);
  s.bind(9, p.reference_id);
  s.bind(10, payment_method_type_name(m.type));
  s.bind(11, m.fingerprint);
  s.bind(12, m.saved_method_uid);
  s.bind(13, m.card.last4);
  s.bind(14, m.card.card_brand);
  s.bind(15, m.card.exp_month);
  s.bind(16, m.card.exp_year);
  s.bind(17, kind_of(m.type) == MethodKind::kAch ? m.ach.holder_name : m.card.holder_name);
  s.bind(18, m.ach.routing_number);
  s.bind(19, m.ach.account_number_suffix);
  s.bind(20, m.ach.account_type);
  s.bind(21, m.ach.bank_name);
  s.bind(22, outcome_name(m.outcome));
  s.bind(23, p.method_request);
  s.bind(24, p.transaction_id);
  s.bind(25, p.failure_code);
  s.bind(26, static_cast<std::int64_t>(p.refunded_amount));
  s.bind(27, static_cast<std::int64_t>(p.created_at));
  s.bind(28, static_cast<std::int64_t>(p.captured_at));
  s.bind(29, static_cast<std::int64_t>(p.updated_at));
  s.bind(30, instrument_key(m));
}

// Statement texts are built once (static): they key the statement cache, and
// building them per call did so while holding the store's lock.
std::optional<Payment> find_locked(Connection& c, const std::string& account_uid,
                                   const std::string& uid) {
  static const std::string sql =
      std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE account_uid = ? AND uid = ?";
  auto& s = c.prepared(sql);
  s.bind(1, account_uid);
  s.bind(2, uid);
  if (!s.executeStep()) return std::nullopt;
  return read_payment(s);
}

}  // namespace

PaymentStore::PaymentStore(Store& store) : store_(store) {
  store_.declare_table(
      "payments",
      "CREATE TABLE IF NOT EXISTS payments (seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT "
      "NULL UNIQUE, account_uid TEXT NOT NULL, status TEXT NOT NULL, base_amount INTEGER, "
      "tax_amount INTEGER, fee_amount INTEGER, total_amount INTEGER, currency TEXT, reference_id "
      "TEXT, method_type TEXT, fingerprint TEXT, saved_method_uid TEXT, last4 TEXT, card_brand "
      "TEXT, exp_month INTEGER, exp_year INTEGER, holder_name TEXT, routing_number TEXT, "
      "account_number_suffix TEXT, account_type TEXT, bank_name TEXT, outcome TEXT, "
      "method_request TEXT, transaction_id TEXT, failure_code TEXT, refunded_amount INTEGER, "
      "created_at INTEGER, captured_at INTEGER, updated_at INTEGER, instrument_key TEXT)",
      true);
  store_.with([](Connection& c) {
    c.exec(
        "CREATE INDEX IF NOT EXISTS payments_by_reference ON payments (account_uid, "
        "reference_id)");
    c.exec(
        "CREATE INDEX IF NOT EXISTS payments_by_instrument ON payments (account_uid, "
        "instrument_key, captured_at)");
  });
}

void PaymentStore::insert(const Payment& payment) {
  store_.with([&](Connection& c) {
    static const std::string sql =
        std::string("INSERT INTO payments (") + kPaymentColumns +
        ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    auto& s = c.prepared(sql);
    bind_payment(s, payment);
    s.exec();
  });
}

std::optional<Payment> PaymentStore::find(const std::string& account_uid, const std::string& uid) {
  return store_.with([&](Connection& c) { return find_locked(c, account_uid, uid); });
}

std::vector<Payment> PaymentStore::list(const std::string& account_uid, const ListQuery& query) {
  const std::string sql = std::string("SELECT ") + kPaymentColumns +
                          " FROM payments WHERE account_uid = ?" + list_sql_tail(query);
  return store_.with([&](Connection& c) {
    auto& s = c.prepared(sql);
    s.bind(1, account_uid);
    bind_list_tail(s, 2, query);
    std::vector<Payment> out;
    while (s.executeStep()) out.push_back(read_payment(s));
    return out;
  });
}

Result<Payment> PaymentStore::transition(const std::string& account_uid, const std::string& uid,
                                         const Change& change) {
  return store_.transaction([&](Connection& c) -> Result<Payment> {
    auto current = find_locked(c, account_uid, uid);
    if (!current) return not_found("No payment '" + uid + "' in this payment account.");
    Result<Payment> next = change(*current);
    if (!next) return next;
    auto& s = c.prepared(
        "UPDATE payments SET uid=?1, account_uid=?2, status=?3, base_amount=?4, tax_amount=?5, "
        "fee_amount=?6, total_amount=?7, currency=?8, reference_id=?9, method_type=?10, "
        "fingerprint=?11, saved_method_uid=?12, last4=?13, card_brand=?14, exp_month=?15, "
        "exp_year=?16, holder_name=?17, routing_number=?18, account_number_suffix=?19, "
        "account_type=?20, bank_name=?21, outcome=?22, method_request=?23, transaction_id=?24, "
        "failure_code=?25, refunded_amount=?26, created_at=?27, captured_at=?28, updated_at=?29, "
        "instrument_key=?30 WHERE uid=?1 AND account_uid=?2");
    bind_payment(s, *next);
    s.exec();
    return next;
  });
}

std::optional<Payment> PaymentStore::find_look_alike(const std::string& account_uid,
                                                     const std::string& key, std::int64_t amount,
                                                     Millis since) {
  return store_.with([&](Connection& c) -> std::optional<Payment> {
    static const std::string sql =
        std::string("SELECT ") + kPaymentColumns +
        " FROM payments WHERE account_uid = ? AND instrument_key = ? AND "
        "base_amount + tax_amount = ? AND captured_at > ? AND captured_at > 0 "
        "ORDER BY seq DESC LIMIT 1";
    auto& s = c.prepared(sql);
    s.bind(1, account_uid);
    s.bind(2, key);
    s.bind(3, static_cast<std::int64_t>(amount));
    s.bind(4, static_cast<std::int64_t>(since));
    if (!s.executeStep()) return std::nullopt;
    return read_payment(s);
  });
}

}  // namespace paysandbox
