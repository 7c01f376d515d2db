package org.jvision.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Padding's rules and WindowGeometry's arithmetic, over every small size. */
class PaddingTest {

    @Test
    void sameFollowsTensorFlowForEverySmallSize() {
        for (int in = 1; in <= 12; in++) {
            for (int k = 1; k <= 6; k++) {
                for (int s = 1; s <= 4; s++) {
                    int[] pads = Padding.same().resolve(in, k, s, true);
                    assertThat(pads).as("in %d k %d s %d", in, k, s).containsExactly(Reference.samePadding(in, k, s));
                    WindowGeometry g = WindowGeometry.of("t", "kernel", in, in, k, k, s, s, Padding.same());
                    assertThat(g.outRows()).as("in %d k %d s %d", in, k, s).isEqualTo((in + s - 1) / s);
                    assertThat(g.padBottom() - g.padTop()).isBetween(0, 1); // the odd pixel goes after
                }
            }
        }
        // 5 pixels, k 4, stride 2: out 3, total (3-1)*2+4-5 = 3: one before, two after.
        assertThat(Padding.same().resolve(5, 4, 2, false)).containsExactly(1, 2);
        // k below stride needs none: 6 pixels, k 1, stride 2.
        assertThat(Padding.same().resolve(6, 1, 2, true)).containsExactly(0, 0);
    }

    @Test
    void validAndExplicitUseTheFloorFormula() {
        for (int in = 1; in <= 12; in++) {
            for (int k = 1; k <= in; k++) {
                for (int s = 1; s <= 4; s++) {
                    WindowGeometry g = WindowGeometry.of("t", "kernel", in, in, k, k, s, s, Padding.valid());
                    assertThat(g.outRows()).isEqualTo((int) Math.floor((in - k) / (double) s) + 1);
                    assertThat(g.rowStart(g.outRows() - 1) + k).isLessThanOrEqualTo(in); // never past the edge
                }
            }
        }
        WindowGeometry g = WindowGeometry.of("t", "kernel", 7, 5, 3, 2, 2, 3, Padding.explicit(1, 2, 0, 3));
        assertThat(new int[] {g.outRows(), g.outCols(), g.rowStart(0), g.colStart(1)})
                .containsExactly((7 + 3 - 3) / 2 + 1, (5 + 3 - 2) / 3 + 1, -1, 3);
        assertThat(WindowGeometry.of("t", "kernel", 4, 4, 1, 1, 1, 1, Padding.valid()).isPointwise()).isTrue();
        assertThat(WindowGeometry.of("t", "kernel", 4, 4, 1, 1, 2, 2, Padding.valid()).isPointwise()).isFalse();
        assertThat(WindowGeometry.of("t", "kernel", 4, 4, 1, 1, 1, 1, Padding.explicit(1)).isPointwise()).isFalse();
    }

    @Test
    void validatesAndParses() {
        assertThat(Padding.parse("SAME")).isEqualTo(Padding.same());
        assertThat(Padding.parse("valid")).isEqualTo(Padding.valid());
        assertThat(new Padding("Same", 0, 0, 0, 0)).isEqualTo(Padding.same());
        assertThatThrownBy(() -> Padding.parse("causal")).hasMessageContaining("'causal'");
        assertThatThrownBy(() -> new Padding("same", 1, 0, 0, 0)).hasMessageContaining("top=1");
        assertThatThrownBy(() -> new Padding(null, 0, 0, 0, 0)).hasMessageContaining("null");
        assertThatThrownBy(() -> Padding.explicit(0, 0, -2, 0)).hasMessageContaining("left=-2");
        assertThatThrownBy(() -> WindowGeometry.of("Conv2D 'c'", "kernel", 3, 8, 4, 4, 1, 1, Padding.valid()))
                .hasMessage("Conv2D 'c': kernel 4x4 is larger than the padded input 3x8 (input 3x8, padding valid)");
        assertThat(Padding.explicit(1, 2, 3, 4).toString()).isEqualTo("explicit(top=1, bottom=2, left=3, right=4)");
    }

    @Test
    void roundTripsThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (Padding p : new Padding[] {Padding.valid(), Padding.same(), Padding.explicit(1, 0, 2, 3)}) {
            assertThat(json.readValue(json.writeValueAsString(p), Padding.class)).isEqualTo(p);
        }
        assertThat(json.writeValueAsString(Padding.same())).isEqualTo(
                "{\"mode\":\"same\",\"top\":0,\"bottom\":0,\"left\":0,\"right\":0}");
    }
}
