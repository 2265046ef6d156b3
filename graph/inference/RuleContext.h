#pragma once

#include "inference/InferenceConfig.h"

namespace tt::store {
class EntityRepository;
class InferenceRepository;
class NetworkEvidenceRepository;
} // namespace tt::store

namespace tt::inference {

class AccountResolver;
class CaseSnapshot;
class HostResolver;
class SmbSessions;

// What every rule sees: the loaded case, the repositories for what a rule reads beyond it, the
// entity resolvers and the windows.
struct RuleContext {
    store::InferenceRepository &repo;
    store::NetworkEvidenceRepository &network;
    store::EntityRepository &entities;
    const CaseSnapshot &snap;
    HostResolver &hosts;
    AccountResolver &accounts;
    const SmbSessions &smb;
    InferenceConfig cfg;
};

} // namespace tt::inference
