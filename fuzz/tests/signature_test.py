#!/usr/bin/env python3
"""ctest campaign.signatures: the crash signatures of fuzz/campaign/signature.py
on the outputs the fuzz targets print (AddressSanitizer's and UBSan's report
formats, core_invariants' and diff_upstream's messages, libFuzzer's time-out),
each kind twice with other addresses, steps and values: the same signature."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'campaign'))
import signature  # noqa: E402

ASAN = '''INFO: Seed: 2025995877
Running: /tmp/crash-{a}
=================================================================
==6168==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x5030000{a} at pc 0x556941e86f14 bp 0x7ffe sp 0x7ffe
WRITE of size 4 at 0x5030000{a} thread T0
    #0 0x556941e86f13 in planted_overflow(ballast::scenario::Scenario const&) /src/ballast/fuzz/core_invariants.cpp:{a}:39
    #1 0x556941e85fed in LLVMFuzzerTestOneInput /src/ballast/fuzz/core_invariants.cpp:46:2
    #2 0x556941d8a476 in fuzzer::Fuzzer::ExecuteCallback(unsigned char const*, unsigned long) (/b/core_planted+0x7f476) (BuildId: 6dc79d825f54)
    #3 0x556941da4382 in main (/b/core_planted+0x99382) (BuildId: 6dc79d825f54)
    #4 0x7f5a21c45249 in __libc_start_call_main csu/../sysdeps/nptl/libc_start_call_main.h:58:16

0x503000000270 is located 0 bytes after 32-byte region [0x503000000250,0x503000000270)
allocated by thread T0 here:
    #0 0x556941e83b4d in operator new[](unsigned long) (/b/core_planted+0x178b4d) (BuildId: 6dc79d825f54)
    #1 0x556941e86f87 in planted_overflow(ballast::scenario::Scenario const&) /src/ballast/fuzz/core_invariants.cpp:32:41
SUMMARY: AddressSanitizer: heap-buffer-overflow /src/ballast/fuzz/core_invariants.cpp:35:39 in planted_overflow
'''

UBSAN = '''Running: /tmp/crash
/src/ballast/core/balloon.h:{a}:21: runtime error: index {b} out of bounds for type 'ballast_xen_pfn_t[512]'
    #0 0x55d4 in ballast::Balloon<world::Env>::increase_reservation(unsigned long) /src/ballast/core/balloon.h:{a}:21
    #1 0x55d4 in ballast::Balloon<world::Env>::step(long, ballast::BpState) /src/ballast/core/balloon.h:700:9
    #2 0x55d4 in (anonymous namespace)::drive(world::World&) /src/ballast/fuzz/core_harness.cpp:88:3
    #3 0x55d4 in LLVMFuzzerTestOneInput /src/ballast/fuzz/core_invariants.cpp:46:2
SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /src/ballast/core/balloon.h:{a}:21
'''

VIOLATION = '''Running: /tmp/crash
core_invariants: profile linux-6.1, after step {a} (lend {b}):
leaked: pfn {b} is in no list and not free
stats-mismatch: balloon_low {a} but {b} pages listed
==77== ERROR: libFuzzer: deadly signal
    #7 0x55d4 in LLVMFuzzerTestOneInput /src/ballast/fuzz/core_invariants.cpp:56:3
'''

DIVERGENCE = '''diff_upstream: core:ballast vs upstream:seed: unattributed divergence: step {a} (xen populate fail {b} -12): hypercall[{b}].result: left -12, right {a}
  UNATTRIBUTED: step {a} (run): hypercall[{b}].result: left -12, right {a} (remains with every switch reverted)
==6408== ERROR: libFuzzer: deadly signal
'''

TIMEOUT = '''ALARM: working on the last Unit for 11 seconds
==91== ERROR: libFuzzer: timeout after {a} seconds
    #0 0x55d4 in __sanitizer_print_stack_trace (/b/core_invariants+0x1999c1)
    #1 0x55d4 in fuzzer::PrintStackTrace() (/b/core_invariants+0xee988)
    #5 0x55d4 in world::World::run_until(unsigned long) /src/ballast/world/clock.cpp:{a}:5
    #6 0x55d4 in ballast::scenario::advance(world::World&, unsigned long, unsigned long, bool*) /src/ballast/scenario/runtime.cpp:{b}:2
SUMMARY: libFuzzer: timeout
'''


def sig(target, template, a, b):
    s = signature.compute(target, template.format(a=a, b=b))
    return signature.text(s) if s else None


class Signatures(unittest.TestCase):
    def same_twice(self, target, template):
        first = sig(target, template, 35, 512)
        self.assertEqual(first, sig(target, template, 71, 3971))
        return first

    def test_asan_kind_access_and_project_frames(self):
        self.assertEqual(self.same_twice('core_planted', ASAN),
                         'core_planted | asan heap-buffer-overflow WRITE | planted_overflow < LLVMFuzzerTestOneInput')

    def test_ubsan_message_without_values_and_frames_with_templates(self):
        self.assertEqual(self.same_twice('core_invariants', UBSAN),
                         'core_invariants | ubsan | ballast::Balloon<world::Env>::increase_reservation < '
                         'ballast::Balloon<world::Env>::step < {anon}::drive | '
                         "index N out of bounds for type 'ballast_xen_pfn_t[N]'")

    def test_violation_profile_and_first_kind(self):
        self.assertEqual(self.same_twice('core_invariants', VIOLATION),
                         'core_invariants | violation | linux-6.1 | leaked')

    def test_divergence_pair_and_field_without_index(self):
        self.assertEqual(self.same_twice('diff_upstream', DIVERGENCE),
                         'diff_upstream | divergence | core:ballast vs upstream:seed | hypercall.result')

    def test_timeout_with_frames(self):
        self.assertEqual(self.same_twice('core_invariants', TIMEOUT),
                         'core_invariants | timeout | world::World::run_until < ballast::scenario::advance')

    def test_other_bugs_other_signatures(self):
        self.assertNotEqual(sig('core_invariants', VIOLATION, 1, 2),
                            sig('core_invariants', VIOLATION.replace('leaked', 'list-corrupt'), 1, 2))
        self.assertNotEqual(sig('core_invariants', VIOLATION, 1, 2),
                            sig('core_invariants', VIOLATION.replace('linux-6.1', 'ballast'), 1, 2))
        self.assertNotEqual(sig('core_planted', ASAN, 1, 2),
                            sig('core_planted', ASAN.replace('WRITE of', 'READ of'), 1, 2))

    def test_no_failure_no_signature(self):
        self.assertIsNone(signature.compute('core_invariants', 'INFO: Seed: 1\nExecuted /tmp/x in 1 ms\n'))


if __name__ == '__main__':
    unittest.main()
