// The whole analysis of one bundle, stage after stage: ingest -> correlate ->
// classify. `analyze` and `scan` both call this; only app/ prints.
//
//   diags errors;
//   auto rules = pipeline::load_rules({}, errors);
//   auto a = pipeline::run({.paths = {"bundle/"}}, {}, rules);
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/core/deployment.hpp"
#include "migsleuth/core/diag.hpp"
#include "migsleuth/core/host.hpp"
#include "migsleuth/core/identity_index.hpp"
#include "migsleuth/correlate/correlate.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "migsleuth/parsers/parse.hpp"

namespace migsleuth::pipeline {

// Shapes and cause rules, loaded once and shared read-only by every run.
struct rule_packs {
  std::shared_ptr<const parsers::shape_set> shapes;
  classifiers::rule_book causes;
};

// Embedded packs plus `extra_dirs`; load errors (file:line:col) go to `errors`.
rule_packs load_rules(const std::vector<std::string>& extra_dirs, diags& errors);

struct analysis {
  std::vector<input> inputs;
  std::vector<incident> incidents;
  std::vector<verdict> verdicts;  // one per incident, same order
  std::vector<loose_finding> findings;  // recognised lines no attempt holds
  std::vector<ingest::kept_text> kept;  // ingest_options::keep_text's files (preflight facts)
  std::vector<host_identity> hosts;      // every host of the data under one name, its aliases
  std::vector<std::string> host_refusals;  // names the data joined that were kept apart
  // The analysis' one identity index (request / domain / migration id ->
  // instance, host names): what later stages ask instead of a rule of their own.
  identity_index identities;
  // Every attempt's "UUID (domain)" before --instance selected, sorted: what
  // a --instance that matched nothing could have named.
  std::vector<std::string> attempted;
  // Each host's deployment and why (classifiers/deployment.hpp); the confirm
  // commands of verdicts and findings are written for it.
  std::vector<host_deployment> deployments;
  bool any_unreadable = false;
  // `in.cancel` asked to stop before the analysis was complete: the rest is
  // partial (or empty) and must not be written as the bundle's report.
  bool cancelled = false;
};

// `in.cancel`, when set, is checked per read chunk, per file and between
// stages, so a stop request ends a run within about a chunk's work.
// Exceptions from the stages (std::bad_alloc) reach the caller, never
// std::terminate: the ingest threads hand theirs over.
// `deployment`: every host taken as that deployment (--deployment); by
// default each host's is detected from its files.
analysis run(const ingest::ingest_options& in, correlate::options co, const rule_packs& rules,
             std::optional<deployment_kind> deployment = std::nullopt);

}  // namespace migsleuth::pipeline
