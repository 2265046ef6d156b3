# JSON lines of Windows events: the streaming line reader and look-ahead (JsonLinesParser), one
# reader per record shape (NXLog / Logstash flat, Winlogbeat / ECS), the value renderer they
# share and the per-host clock that dates host-local times.
list(APPEND TT_IMPORTER_SOURCES
  json/FieldList.h
  json/ValueRenderer.h json/ValueRenderer.cpp
  json/HostClock.h json/HostClock.cpp
  json/FlatRecord.h json/FlatRecord.cpp
  json/WinlogbeatRecord.h json/WinlogbeatRecord.cpp
  json/JsonLinesParser.h json/JsonLinesParser.cpp
)
