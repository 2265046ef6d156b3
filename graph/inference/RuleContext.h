#pragma once

#include "inference/InferenceConfig.h"

namespace tt::sql {
class Db;
}

namespace tt::inference {

class AccountResolver;
class CaseSnapshot;
class HostResolver;
class SmbSessions;

// What every rule sees: the loaded case, the entity resolvers and the windows.
struct RuleContext {
    sql::Db &db;
    const CaseSnapshot &snap;
    HostResolver &hosts;
    AccountResolver &accounts;
    const SmbSessions &smb;
    InferenceConfig cfg;
};

} // namespace tt::inference
