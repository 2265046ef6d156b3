#pragma once

// Confidence of a transfer from the kinds of evidence it has, as a noisy-OR: each independent
// kind of fact (the destination's 5145, its Sysmon 11, the source's command, the source's own
// connection, the service install, the execution ...) could be wrong on its own; together they
// rarely are. Two events of one kind count once: repetition is not corroboration.
//
// Calibrated (issue 10 item 4, docs/inference.md "Reliability"): a record that by itself names the
// file arriving from the network (a 5145 WriteData from a remote address; the RDP client writing
// what the server sent into its redirected drive) is high alone; a file whose arrival the
// destination recorded (5145, or a network-serving process's create) and which that destination
// then installed, scheduled or ran by the same path carries one more, joint fact: two subsystems
// (file system / SMB server and service control manager / process creation) agree on the very file.
// Without any source the score stays below high unless the arrival itself is such a record.

#include <string>
#include <vector>

namespace tt::inference {

struct Candidate;

class ConfidenceModel {
public:
    static double score(const Candidate &t);
    static const char *label(double score); // high >= 0.75, medium >= 0.5, else low
    static double weight(const std::string &role);
    // Why a transfer scores what it does, for its JSON and tooltip: "dst-write +0.80" per kind of
    // evidence (context roles "+0"), and "no source: capped at 0.70" when the cap lowered it.
    static std::vector<std::string> reasons(const std::vector<std::string> &distinctRoles, bool hasSource);
    // The score of a set of distinct roles (what score() and reasons() both compute).
    static double scoreRoles(const std::vector<std::string> &distinctRoles, bool hasSource);

    static constexpr double kNoSourceCap = 0.7;
    // Arrival recorded on the destination and the same path installed / scheduled / run there.
    static constexpr double kArrivalUsed = 0.6;

private:
    struct Terms {
        bool arrivalUsed = false; // the joint fact applies
        bool networkArrival = false; // the arrival record itself shows a second machine
    };
    static Terms terms(const std::vector<std::string> &distinctRoles);
};

} // namespace tt::inference
