// The one rounding of a clock pair's difference to a UTC offset, which the
// syslog prefix of a nova record, a Kubernetes runtime stamp and nova/QEMU
// line pairs all go through.
#include <catch2/catch.hpp>

#include "migsleuth/core/time.hpp"

using migsleuth::nearest_quarter_hour;

TEST_CASE("quarter hour: offsets of real zones come back whole", "[core][time]") {
  CHECK(nearest_quarter_hour(0) == 0);
  CHECK(nearest_quarter_hour(-4 * 3600) == -4 * 3600);           // EDT, a syslog in local time
  CHECK(nearest_quarter_hour(5 * 3600 + 1800) == 5 * 3600 + 1800);  // IST
  CHECK(nearest_quarter_hour(5 * 3600 + 2700) == 5 * 3600 + 2700);  // Nepal, +05:45
}

TEST_CASE("quarter hour: the lag between two stamps of one line is rounded away",
          "[core][time]") {
  // A runtime's stamp and the program's own differ by a second or two, and a
  // nova line and its QEMU pair by the time between them.
  CHECK(nearest_quarter_hour(3600 + 2) == 3600);
  CHECK(nearest_quarter_hour(-3600 - 2) == -3600);
  CHECK(nearest_quarter_hour(449) == 0);
  CHECK(nearest_quarter_hour(-449) == 0);
  // Halves go away from zero, the same on both sides.
  CHECK(nearest_quarter_hour(450) == 900);
  CHECK(nearest_quarter_hour(-450) == -900);
  CHECK(nearest_quarter_hour(1349) == 900);
  CHECK(nearest_quarter_hour(1350) == 1800);
}
