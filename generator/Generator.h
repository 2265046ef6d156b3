#pragma once

// Deterministic multi-host lateral-tool-transfer scenario generator (MITRE ATT&CK T1570):
// writes a Windows recording of an invented domain through the real import formats (NXLog /
// Logstash JSON lines like the Mordor exports, or wevtutil-style event XML), one file per host,
// plus ground_truth.json in the corpus schema with every transfer's evidence as file + line.

#include "Options.h"
#include "Summary.h"

namespace tt::gen {

Summary generate(const Options &options);

} // namespace tt::gen
