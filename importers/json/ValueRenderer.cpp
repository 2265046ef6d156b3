#include "json/ValueRenderer.h"

#include "core/Integer.h"
#include "core/JsonText.h"
#include "core/RawEvent.h"

namespace tt::jsonl {

std::string_view trimRight(std::string_view s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool isJsonNumber(std::string_view s)
{
    size_t i = 0, n = s.size();
    if (i < n && s[i] == '-')
        ++i;
    if (i >= n)
        return false;
    if (s[i] == '0') {
        ++i;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            ++i;
    } else {
        return false;
    }
    if (i < n && s[i] == '.') {
        ++i;
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == st)
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            ++i;
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == st)
            return false;
    }
    return i == n;
}

std::string errText(sj::error_code e)
{
    return std::string("malformed JSON: ") + sj::error_message(e);
}

void readEventId(od::json_type t, std::string_view val, int32_t &eventId)
{
    int64_t id;
    if ((t == od::json_type::number || t == od::json_type::string) && integer::parseInt64(val, id) && id >= 0
        && id <= 0xFFFFFFFFLL)
        eventId = int32_t(id & 0xFFFF);
}

void readRecordNumber(od::json_type t, std::string_view name, std::string_view val, RawEvent &ev, std::string &warning)
{
    int64_t id;
    if ((t == od::json_type::number || t == od::json_type::string) && integer::parseInt64(val, id) && id >= 0)
        ev.recordId = id;
    else if (t != od::json_type::null && !val.empty())
        warning = integer::recordNumberWarning(name, val);
}

// Compact JSON text of any value (validating it). Appends to out.
sj::error_code ValueRenderer::appendCompact(od::value v, std::string &out, int depth)
{
    if (depth > 256)
        return sj::DEPTH_ERROR;
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    switch (t) {
    case od::json_type::object: {
        od::object o;
        if (auto e = v.get_object().get(o))
            return e;
        out.push_back('{');
        bool first = true;
        if (auto e = forEachField(o, [&](std::string_view k, od::value fv) {
                if (!first)
                    out.push_back(',');
                first = false;
                json::appendString(out, k);
                out.push_back(':');
                return appendCompact(fv, out, depth + 1);
            }))
            return e;
        out.push_back('}');
        return sj::SUCCESS;
    }
    case od::json_type::array: {
        od::array a;
        if (auto e = v.get_array().get(a))
            return e;
        out.push_back('[');
        bool first = true;
        for (auto er : a) {
            od::value ev;
            // NOLINTNEXTLINE(performance-move-const-arg): get() is &&-qualified
            if (auto e = std::move(er).get(ev))
                return e;
            if (!first)
                out.push_back(',');
            first = false;
            if (auto e = appendCompact(ev, out, depth + 1))
                return e;
        }
        out.push_back(']');
        return sj::SUCCESS;
    }
    case od::json_type::string: {
        std::string_view s;
        if (auto e = v.get_string().get(s))
            return e;
        json::appendString(out, s);
        return sj::SUCCESS;
    }
    default: {
        std::string_view tok = trimRight(v.raw_json_token());
        if (auto e = checkAtom(t, tok))
            return e;
        out.append(tok);
        return sj::SUCCESS;
    }
    }
}

sj::error_code ValueRenderer::checkAtom(od::json_type t, std::string_view tok)
{
    switch (t) {
    case od::json_type::number:
        return isJsonNumber(tok) ? sj::SUCCESS : sj::NUMBER_ERROR;
    case od::json_type::boolean:
        return tok == "true" || tok == "false" ? sj::SUCCESS : sj::T_ATOM_ERROR;
    case od::json_type::null:
        return tok == "null" ? sj::SUCCESS : sj::N_ATOM_ERROR;
    default:
        return sj::TAPE_ERROR;
    }
}

// Scalar text of a value: strings unescaped, numbers / booleans as their JSON text, null as
// empty, arrays / objects as compact JSON. The view stays valid until the next call.
sj::error_code ValueRenderer::scalarText(od::value &v, od::json_type t, std::string_view &out)
{
    switch (t) {
    case od::json_type::string:
        return v.get_string().get(out);
    case od::json_type::array:
    case od::json_type::object: {
        m_scratch.clear();
        if (auto e = appendCompact(v, m_scratch, 0))
            return e;
        out = m_scratch;
        return sj::SUCCESS;
    }
    case od::json_type::null: {
        std::string_view tok = trimRight(v.raw_json_token());
        if (auto e = checkAtom(t, tok))
            return e;
        out = {};
        return sj::SUCCESS;
    }
    default: {
        std::string_view tok = trimRight(v.raw_json_token());
        if (auto e = checkAtom(t, tok))
            return e;
        out = tok;
        return sj::SUCCESS;
    }
    }
}

} // namespace tt::jsonl
