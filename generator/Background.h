#pragma once

// Benign background activity of one host, produced slot by slot (5 minutes each) so that
// memory stays bounded: logons, process chains, network connections, file creates, registry
// writes, DNS queries, share accesses, and the look-alikes that must not be taken for transfers
// (named-pipe writes on IPC$, .etl flushes by System, SYSVOL reads, task XML written by svchost).
// The volume follows working hours in the host's own time zone; the total is exact.

#include "Event.h"
#include "EventFactory.h"
#include "HostContext.h"

#include <vector>

namespace tt::gen {

class Background {
public:
    Background(const Topology &topo, int host, uint64_t seed, int64_t budget, int64_t startUs, int64_t endUs);

    // Appends the next slot's events (not sorted) to out and sets slotEnd: every event of later
    // slots is at or after slotEnd. Returns false when all slots are done.
    bool nextSlot(std::vector<Event> &out, int64_t &slotEnd);

    static constexpr int64_t kSlotUs = 300LL * 1000000;

private:
    using Out = std::vector<Event>;
    void activity(int64_t t, Out &out);
    void userApp(int64_t t, Out &out);
    void userShell(int64_t t, Out &out);
    void serviceTask(int64_t t, Out &out);
    void registry(int64_t t, Out &out);
    void dns(int64_t t, Out &out);
    void inboundLogon(int64_t t, Out &out, bool machine);
    void interactiveLogon(int64_t t, Out &out);
    void etlFlush(int64_t t, Out &out);
    void fileWork(int64_t t, Out &out);
    void update(int64_t t, Out &out);
    void gpoClient(int64_t t, Out &out);
    void gpoServe(int64_t t, Out &out);
    void ipcPipe(int64_t t, Out &out);
    void shareRead(int64_t t, Out &out);
    void inboundConnection(int64_t t, Out &out);
    void serverApp(int64_t t, Out &out);

    void push(Out &out, Event &&e);
    void procPair(int64_t t, Out &out, const Proc &child, const Proc &parent, bool end);
    const Host &otherHost(bool workstationsOnly);
    std::string port();
    int weightOf(int64_t slotStartUs) const;

    const Topology &m_topo;
    const Host &m_host;
    HostContext m_ctx;
    EventFactory m_f;
    int64_t m_budget;
    int64_t m_startUs;
    int64_t m_slot = 0, m_slots = 0;
    int64_t m_totalWeight = 0, m_cumWeight = 0, m_emitted = 0;
    int64_t m_slotLimit = 0; // events allowed in the current slot
    int64_t m_slotCount = 0;
    uint64_t m_seq = 0;
};

} // namespace tt::gen
