#pragma once

// Small NXLog / Logstash JSON lines for engine tests, defined in EngineFixtures.cpp (moc cannot
// parse raw string literals, so they stay out of files it reads).

namespace fixtures {
extern const char *const kLogon4624;
extern const char *const kShare5145;
extern const char *const kSysmon1;
extern const char *const kSysmon3;
} // namespace fixtures
