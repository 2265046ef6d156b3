#pragma once

// Small, fast, deterministic pseudo-random generator (xoshiro256**, seeded with splitmix64).
// The generator never uses std::random distributions: their output differs between standard
// libraries, and the scenario must be byte-identical everywhere for a given seed.

#include <cstddef>
#include <cstdint>

namespace tt::gen {

__extension__ using Uint128 = unsigned __int128;
__extension__ using Int128 = __int128;

class Rng {
public:
    explicit Rng(uint64_t seed = 1) { reseed(seed); }

    static uint64_t splitmix(uint64_t &x)
    {
        uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Mixes a seed with a stream number into an independent seed.
    static uint64_t derive(uint64_t seed, uint64_t stream)
    {
        uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL + 0x632be59bd9b4e019ULL);
        splitmix(x);
        return splitmix(x);
    }

    void reseed(uint64_t seed)
    {
        uint64_t x = seed;
        for (auto &s : m_s)
            s = splitmix(x);
    }

    uint64_t next()
    {
        const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform in [0, n); n > 0.
    uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<Uint128>(next()) * n) >> 64); }
    // Uniform in [lo, hi] (inclusive).
    int64_t range(int64_t lo, int64_t hi)
    {
        return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1)));
    }
    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }

    template<typename T, size_t N> const T &pick(const T (&arr)[N]) { return arr[below(N)]; }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_s[4] = {};
};

} // namespace tt::gen
