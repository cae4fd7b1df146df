package io.tapeflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleTests {

    static final class Block extends Module {
        final Variable w;
        final Variable b;
        final Variable counter = new Variable("block/counter", Tensor.scalar(0f), false);

        Block(String name) {
            super(name);
            w = new Variable(name + "/w", Tensor.zeros(2, 2));
            b = new Variable(name + "/b", Tensor.zeros(2));
        }
    }

    static final class Net extends Module {
        final List<Block> blocks = List.of(new Block("block_1"), new Block("block_2"));
        final Variable scale = new Variable("net/scale", Tensor.scalar(1f));
        final Block shared = blocks.get(0);

        Net() {
            super("net");
        }
    }

    @Test
    void findsVariablesInFieldsAndSubModulesInAStableOrder() {
        Net net = new Net();
        assertThat(net.variables()).extracting(Variable::name).containsExactly(
                "block_1/b", "block/counter", "block_1/w", "block_2/b", "block/counter", "block_2/w", "net/scale");
        assertThat(net.trainableVariables()).extracting(Variable::name).containsExactly(
                "block_1/b", "block_1/w", "block_2/b", "block_2/w", "net/scale");
        assertThat(new Net().variables()).extracting(Variable::name)
                .isEqualTo(net.variables().stream().map(Variable::name).toList());
    }
}
