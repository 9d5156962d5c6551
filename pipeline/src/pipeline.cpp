#include "migsleuth/pipeline/pipeline.hpp"

namespace migsleuth::pipeline {

rule_packs load_rules(const std::vector<std::string>& extra_dirs, diags& errors) {
  rule_packs r;
  r.shapes = parsers::shape_set::load(extra_dirs, errors);
  r.causes = classifiers::rule_book::load(extra_dirs, errors);
  return r;
}

analysis run(const parsers::ingest_options& in, correlate::options co, const rule_packs& rules) {
  parsers::analysis_input data = parsers::ingest(in, rules.shapes);
  for (const auto& input : data.inputs) {
    if (!input.host.empty() && input.kind != input_kind::unrecognized) {
      co.hosts_with_inputs.push_back(input.host);
    }
  }
  analysis out;
  out.incidents = correlate::correlate(std::move(data.events), data.links, co);
  out.verdicts.reserve(out.incidents.size());
  for (const auto& inc : out.incidents) {
    out.verdicts.push_back(rules.causes.classify(inc, data.inputs));
  }
  out.inputs = std::move(data.inputs);
  out.kept = std::move(data.kept);
  out.any_unreadable = data.any_unreadable;
  return out;
}

}  // namespace migsleuth::pipeline
