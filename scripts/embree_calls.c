/* Counts a process's Embree packet queries, for scripts/bench.sh: preloaded
 * (LD_PRELOAD), it stands in front of rtcIntersect16 and rtcOccluded16 and
 * prints, at exit, how many calls and active lanes (rays) each had and the
 * time stamp counter's cycles spent inside them.
 *
 * rsrender calls Debian's libembree3 (C names). Mitsuba 3 calls the copy in
 * its wheel, whose names are C++ ones in namespace mitsuba, loaded privately:
 * set EMBREE_CALLS_LIB to that library's path to count its calls.
 *
 * Build: cc -O2 -shared -fPIC -o embree_calls.so scripts/embree_calls.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

typedef void (*packet_query)(const int *valid, void *scene, void *context, void *rays);

/* One slot per thread, a cache line each, so that threads never share one
 * (beyond 256 threads they would, and the counts could lose updates). */
struct slot {
    unsigned long long calls[2], rays[2], cycles[2];
} __attribute__((aligned(64)));
#define SLOTS 256
static struct slot slots[SLOTS];
static atomic_int next_slot;
static __thread struct slot *mine;

static void count(int query, const int *valid, packet_query real, void *scene, void *context, void *rays) {
    if (!mine) mine = &slots[atomic_fetch_add(&next_slot, 1) % SLOTS];
    for (int i = 0; i < 16; i++) mine->rays[query] += valid[i] == -1;
    mine->calls[query]++;
    unsigned long long start = __rdtsc();
    real(valid, scene, context, rays);
    mine->cycles[query] += __rdtsc() - start;
}

static packet_query resolve(const char *name) {
    const char *lib = getenv("EMBREE_CALLS_LIB");
    void *handle = lib ? dlopen(lib, RTLD_NOW | RTLD_NOLOAD) : RTLD_NEXT;
    packet_query f = handle ? (packet_query)dlsym(handle, name) : NULL;
    if (!f) {
        fprintf(stderr, "embree_calls: cannot find %s\n", name);
        abort();
    }
    return f;
}

#define QUERY(symbol, c_name, index)                                                      \
    void symbol(const int *valid, void *scene, void *context, void *rays) {             \
        static packet_query real;                                                       \
        if (!real) real = resolve(c_name);                                              \
        count(index, valid, real, scene, context, rays);                                \
    }
QUERY(rtcIntersect16, "rtcIntersect16", 0)
QUERY(rtcOccluded16, "rtcOccluded16", 1)

#define MITSUBA_INTERSECT "_ZN7mitsuba14rtcIntersect16EPKiPNS_10RTCSceneTyEPNS_19RTCIntersectContextEPNS_11RTCRayHit16E"
#define MITSUBA_OCCLUDED "_ZN7mitsuba13rtcOccluded16EPKiPNS_10RTCSceneTyEPNS_19RTCIntersectContextEPNS_8RTCRay16E"
void mitsuba_intersect(const int *, void *, void *, void *) __asm__(MITSUBA_INTERSECT);
void mitsuba_occluded(const int *, void *, void *, void *) __asm__(MITSUBA_OCCLUDED);
QUERY(mitsuba_intersect, MITSUBA_INTERSECT, 0)
QUERY(mitsuba_occluded, MITSUBA_OCCLUDED, 1)

__attribute__((destructor)) static void report(void) {
    struct slot all = {0};
    for (int s = 0; s < SLOTS; s++)
        for (int q = 0; q < 2; q++) {
            all.calls[q] += slots[s].calls[q];
            all.rays[q] += slots[s].rays[q];
            all.cycles[q] += slots[s].cycles[q];
        }
    if (all.calls[0] + all.calls[1] == 0) return;
    fprintf(stderr, "embree_calls: nearest %llu calls %llu rays %llu cycles; shadow %llu calls %llu rays %llu cycles\n",
            all.calls[0], all.rays[0], all.cycles[0], all.calls[1], all.rays[1], all.cycles[1]);
}
