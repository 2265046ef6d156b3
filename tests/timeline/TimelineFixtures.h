#pragma once

#include <string>

namespace fixtures {
// An EvtxECmd CSV whose Payload column takes the shapes Newtonsoft's XML-to-JSON gives: one Data
// element (an object), unnamed classic Data (strings) and Binary, UserData, no Payload, and a
// Payload that is not JSON (line 6). Kept out of the test's .cpp: moc cannot read raw strings.
std::string payloadShapesCsv();
} // namespace fixtures
