#include "TimelineFixtures.h"

namespace fixtures {

std::string payloadShapesCsv()
{
    const std::string h = "RecordNumber,EventRecordId,TimeCreated,EventId,Provider,Channel,Computer,ChunkNumber,"
                          "MapDescription,PayloadData1,Payload\n";
    std::string t = h;
    // One Data element (an object, not an array), an empty one, unnamed classic data, UserData.
    t += R"(1,1,2024-03-04 10:00:00.0000000,7045,Service Control Manager,System,H1,0,,,"{""EventData"":{""Data"":{""@Name"":""ServiceName"",""#text"":""X""}}}")"
         "\n";
    t += R"(2,2,2024-03-04 10:00:01.0000000,7036,Service Control Manager,System,H1,0,,,"{""EventData"":{""Data"":[""Print Spooler"",""running""],""Binary"":""0A0B""}}")"
         "\n";
    t += R"(3,3,2024-03-04 10:00:02.0000000,21,Microsoft-Windows-TerminalServices-LocalSessionManager,Microsoft-Windows-TerminalServices-LocalSessionManager/Operational,H1,0,,,"{""UserData"":{""EventXML"":{""@xmlns"":""Event_NS"",""User"":""CORP\\admin"",""SessionID"":""2"",""Address"":""10.1.1.5""}}}")"
         "\n";
    // No Payload: only what the columns say (PayloadData1 is EvtxECmd's text, not event data).
    t += "4,4,2024-03-04 10:00:03.0000000,4624,Microsoft-Windows-Security-Auditing,Security,H1,0,Successful "
         "logon,Target: CORP\\admin,\n";
    // A Payload that is not JSON: the row is kept with a warning, no event data.
    t += R"(5,5,2024-03-04 10:00:04.0000000,4624,Microsoft-Windows-Security-Auditing,Security,H1,0,,,"{""EventData"":")"
         "\n";
    return t;
}

} // namespace fixtures
