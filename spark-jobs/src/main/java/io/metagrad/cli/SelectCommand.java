package io.metagrad.cli;

import io.metagrad.spark.select.FilterOptions;
import io.metagrad.spark.select.FilterParams;
import io.metagrad.spark.select.JobSession;
import io.metagrad.spark.select.Method;
import io.metagrad.spark.select.SelectJob;
import io.metagrad.spark.select.SelectMethods;
import io.metagrad.spark.select.SelectOptions;
import io.metagrad.spark.select.SelectParams;
import io.metagrad.spark.select.UpdateRule;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mgd select}: MGD data selection on Spark. */
@Command(name = "select", mixinStandardHelpOptions = true,
        description = {
            "Selects training data by metagradient descent over per-item counts (method.md §4).",
            "Each step computes --replicas metagradients in parallel Spark tasks, then takes a signed, Bernoulli-masked step",
            "(--update signed) or drops the items whose removal helps most until the budget is left (--update prune), and",
            "checkpoints under --output; rerunning the same command resumes. Writes --output/selection/ when done."})
final class SelectCommand implements Callable<Integer> {

    @Mixin
    SelectOptions options = new SelectOptions();

    @Mixin
    FilterOptions filter = new FilterOptions();

    @Option(names = "--method", defaultValue = "mgd",
            description = "mgd, mgd-prune (= mgd --update prune), a baseline scored once: random, loss, clip-score,"
                    + " grad-sim, influence (these need --keep or --keep-fraction), or a DataComp filter: none, basic,"
                    + " text-based, image-based, clip-score --score-column C, clip-image (docs/datacomp.md)"
                    + " (default: ${DEFAULT-VALUE}).")
    String method;

    @Override
    public Integer call() {
        Method chosen = Method.parse(method);
        chosen.updateRule().filter(rule -> rule != UpdateRule.SIGNED).ifPresent(options::update);
        SelectParams params = options.toParams();
        FilterParams filters = filter.toParams();
        SelectJob.Result r = SelectMethods.run(JobSession.start("mgd select", options.conf()), chosen, params, filters);
        System.out.println(r.finished()
                ? "selection: " + r.selected() + " of " + r.poolSize() + " items (best step " + r.bestStep() + ") in " + r.selectionPath()
                : "stopped after step " + r.completedStep() + "; rerun the same command to continue");
        return 0;
    }
}
