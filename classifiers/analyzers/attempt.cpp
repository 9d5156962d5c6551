#include "analyzers/attempt.hpp"

namespace migsleuth::classifiers {
namespace {

constexpr fact_spec kFacts[] = {
    {"attempt.outcome", fact_type::text,
     "how the attempt ended: failed, stuck, succeeded or unknown (as the report's outcome)"},
    {"attempt.post_copy", fact_type::flag,
     "the migration switched to post-copy (the guest already runs on the destination)"},
    {"attempt.failure", fact_type::text,
     "the line that says the attempt failed, as a phrase to quote: 'the failure on <host>: "
     "<message>' (the first migration or pre-check failure, else the last error), citing it"},
};

}  // namespace

std::span<const fact_spec> attempt_fact_specs() { return kFacts; }

const event* failure_line(const incident& inc) {
  const event* last_error = nullptr;
  for (const auto& e : inc.events) {
    if (e.kind == event_kind::migration_failed || e.kind == event_kind::precheck_failed) return &e;
  }
  for (const auto& e : inc.events) {
    if (e.level == "ERROR" || e.level == "CRITICAL") last_error = &e;
  }
  return last_error;
}

void run_attempt(const incident& inc, analyzer_output& out) {
  out.facts.push_back(text_fact("attempt.outcome", std::string(to_string(inc.result))));
  out.facts.push_back(flag_fact("attempt.post_copy", inc.post_copy));
  if (const event* f = failure_line(inc)) {
    const std::string_view msg = f->message.empty() ? f->text : f->message;
    // Whole: a summary is pasted and searched.
    fact failure = text_fact("attempt.failure", "the failure" +
                                                    (f->host.empty() ? std::string()
                                                                     : " on " + f->host) +
                                                    ": " + std::string(msg));
    failure.evidence.push_back(evidence_of(*f, {}));
    // Named as the failure of this attempt, whatever joined it.
    failure.evidence.back().linked_by_time = false;
    out.facts.push_back(std::move(failure));
  }
}

}  // namespace migsleuth::classifiers
