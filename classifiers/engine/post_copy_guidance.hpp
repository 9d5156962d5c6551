// Post-copy guidance for a verdict (post_copy_guidance.cpp): after the switch
// the guest runs on the destination, which changes the summary, the first
// remediation step and the confirm commands of a failed or stuck attempt.
#pragma once

#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::classifiers {

void add_post_copy_guidance(verdict& v, const incident& inc);

}  // namespace migsleuth::classifiers
