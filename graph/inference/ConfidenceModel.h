#pragma once

// Confidence of a transfer from the kinds of evidence it has, as a noisy-OR: each independent
// kind of fact (the destination's 5145, its Sysmon 11, the source's command, the source's own
// connection, the service install, the execution ...) could be wrong on its own; together they
// rarely are. Two events of one kind count once: repetition is not corroboration.

#include <string>
#include <vector>

namespace tt::inference {

struct Candidate;

class ConfidenceModel {
public:
    static double score(const Candidate &t);
    static const char *label(double score); // high >= 0.75, medium >= 0.5, else low
    static double weight(const std::string &role);
    // Why a transfer scores what it does, for its JSON and tooltip: "dst-write +0.55" per kind of
    // evidence (context roles "+0"), and "no source: capped at 0.70" when the cap lowered it.
    static std::vector<std::string> reasons(const std::vector<std::string> &distinctRoles, bool hasSource);

private:
    static constexpr double kNoSourceCap = 0.7;
};

} // namespace tt::inference
