#pragma once

#include "inference/InferenceEngine.h"

#include <string>

namespace tt::app {

// "12 transfer(s) inferred from 40000 events (psexec-service-binary 3, ...) in 0.21 s"
std::string inferenceSummary(const inference::InferenceEngine::Result &r);

} // namespace tt::app
