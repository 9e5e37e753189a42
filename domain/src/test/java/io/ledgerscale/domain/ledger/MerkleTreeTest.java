// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  static List<byte[]> leaves(int n) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      leaves.add(LedgerHash.leaf(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return leaves;
  }

  /** RFC 6962's MTH, written as the RFC writes it, to check the levelled tree against. */
  static byte[] naive(List<byte[]> d) {
    if (d.isEmpty()) {
      return LedgerHash.empty();
    }
    if (d.size() == 1) {
      return d.get(0);
    }
    int k = Integer.highestOneBit(d.size() - 1);
    return LedgerHash.node(naive(d.subList(0, k)), naive(d.subList(k, d.size())));
  }

  @Test
  void rootsMatchTheRfcDefinitionAndTheCompactRange() {
    List<byte[]> all = leaves(70);
    MerkleTree tree = new MerkleTree(all);
    CompactRange range = CompactRange.empty();
    assertThat(tree.root(0)).isEqualTo(range.root());
    for (int n = 1; n <= all.size(); n++) {
      range.append(all.get(n - 1));
      assertThat(tree.root(n)).as("size %d", n).isEqualTo(naive(all.subList(0, n)));
      assertThat(range.root()).as("compact %d", n).isEqualTo(tree.root(n));
      CompactRange again = CompactRange.decode(n, range.encoded());
      assertThat(again.root()).isEqualTo(range.root());
    }
  }

  @Test
  void theEmptyTreeIsTheHashOfNothing() {
    assertThat(HexFormat.of().formatHex(new MerkleTree(List.of()).root(0)))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void everyInclusionProofVerifiesAndNoOtherDoes() {
    List<byte[]> all = leaves(33);
    MerkleTree tree = new MerkleTree(all);
    for (int n = 1; n <= all.size(); n++) {
      byte[] root = tree.root(n);
      for (int m = 0; m < n; m++) {
        List<byte[]> proof = tree.inclusionProof(m, n);
        assertThat(MerkleProofs.inclusion(all.get(m), m, n, proof, root)).isTrue();
        // the same proof for another index, the next tree, another leaf, or cut short: refused
        assertThat(MerkleProofs.inclusion(all.get(m), m ^ 1, n, proof, root))
            .as("%d of %d as %d", m, n, m ^ 1)
            .isFalse();
        if (n < all.size()) {
          assertThat(MerkleProofs.inclusion(all.get(m), m, n + 1, proof, tree.root(n + 1)))
              .isFalse();
        }
        if (n > 1) {
          assertThat(MerkleProofs.inclusion(all.get((m + 1) % n), m, n, proof, root)).isFalse();
        }
        if (!proof.isEmpty()) {
          assertThat(MerkleProofs.inclusion(all.get(m), m, n, proof.subList(1, proof.size()), root))
              .isFalse();
        }
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(root);
        assertThat(MerkleProofs.inclusion(all.get(m), m, n, longer, root)).isFalse();
      }
    }
  }

  @Test
  void everyConsistencyProofVerifiesAndForgedOnesDoNot() {
    List<byte[]> all = leaves(33);
    MerkleTree tree = new MerkleTree(all);
    List<byte[]> other = leaves(33);
    other.set(2, LedgerHash.leaf(new byte[] {9}));
    MerkleTree forked = new MerkleTree(other);
    for (int n = 1; n <= all.size(); n++) {
      for (int m = 0; m <= n; m++) {
        List<byte[]> proof = tree.consistencyProof(m, n);
        assertThat(MerkleProofs.consistency(m, tree.root(m), n, tree.root(n), proof))
            .as("%d -> %d", m, n)
            .isTrue();
        if (m > 2) {
          // a history that differs at leaf 2 is inconsistent, whichever proof comes with it
          assertThat(MerkleProofs.consistency(m, forked.root(m), n, tree.root(n), proof)).isFalse();
          assertThat(
                  MerkleProofs.consistency(
                      m, forked.root(m), n, tree.root(n), forked.consistencyProof(m, n)))
              .isFalse();
        }
        if (m > 0 && m < n) {
          assertThat(MerkleProofs.consistency(m, tree.root(m), n, tree.root(n - 1), proof))
              .isFalse();
          assertThat(
                  MerkleProofs.consistency(
                      m, tree.root(m), n, tree.root(n), proof.subList(0, proof.size() - 1)))
              .isFalse();
        }
      }
    }
  }
}
