package org.abacim.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.abacim.core.network.Shape;
import org.junit.jupiter.api.Test;

/** Subsets are seeded, class-stratified draws, never a prefix of a class-sorted split. */
class DatasetSampleTest {

    /** 1,000 one-pixel images sorted by class, as the MNIST package's split is; class c has 50 + 10·c images. */
    private static Dataset sortedByClass() {
        int n = 0;
        for (int c = 0; c < 10; c++) n += 50 + 10 * c;
        float[][] images = new float[n][];
        int[] labels = new int[n];
        int i = 0;
        for (int c = 0; c < 10; c++) {
            for (int k = 0; k < 50 + 10 * c; k++, i++) {
                images[i] = new float[] {i};
                labels[i] = c;
            }
        }
        return new Dataset("sorted", new Shape(1, 1, 1), images, labels, 10);
    }

    @Test
    void aSampleOfASortedSplitHoldsEveryClassInProportion() {
        Dataset d = sortedByClass();
        Dataset s = d.sample(95, 7, Dataset.Purpose.SCORING);
        // 95 of 950: exactly a tenth of each class (5, 6, …, 14).
        assertThat(s.classCounts()).containsExactly(5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        Set<Float> distinct = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            distinct.add(s.images()[i][0]);
            // Each image keeps its own label.
            assertThat(d.labels()[(int) s.images()[i][0]]).isEqualTo(s.labels()[i]);
        }
        assertThat(distinct).hasSize(95);
    }

    @Test
    void sharesFollowTheLargestRemainders() {
        // 10 of (1, 1, 1): 3.33 each → 3, 3, 3 and the last draw to the first class of the tied remainders.
        assertThat(Dataset.shares(new int[] {30, 30, 30}, 10)).containsExactly(4, 3, 3);
        assertThat(Dataset.shares(new int[] {1, 99}, 3)).containsExactly(0, 3);
    }

    @Test
    void theSameSeedGivesTheSameDrawAndAnotherSeedOrPurposeAnother() {
        Dataset d = sortedByClass();
        Dataset a = d.sample(100, 3, Dataset.Purpose.SCORING);
        Dataset b = d.sample(100, 3, Dataset.Purpose.SCORING);
        assertThat(a.images()).isEqualTo(b.images());
        assertThat(d.sample(100, 4, Dataset.Purpose.SCORING).images()).isNotEqualTo(a.images());
        assertThat(d.sample(100, 3, Dataset.Purpose.CALIBRATION).images()).isNotEqualTo(a.images());
    }

    @Test
    void theFirstImagesOfADrawAreNotOneClass() {
        // A draw is shuffled, so a prefix of it (what a consumer that reads the first k would see) mixes classes.
        Dataset s = sortedByClass().sample(200, 1, Dataset.Purpose.CALIBRATION);
        Set<Integer> firstTwenty = new HashSet<>();
        for (int i = 0; i < 20; i++) firstTwenty.add(s.labels()[i]);
        assertThat(firstTwenty.size()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aSampleAsLargeAsTheSplitIsTheSplit() {
        Dataset d = sortedByClass();
        assertThat(d.sample(d.size(), 1, Dataset.Purpose.SCORING)).isSameAs(d);
        assertThat(d.sample(d.size() + 5, 1, Dataset.Purpose.SCORING)).isSameAs(d);
    }
}
