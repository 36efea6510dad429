import Mocha from "mocha";

/**
 * Mocha's dot reporter plus one plain closing line, "N passed, N failed, N skipped", which CI
 * systems that do not parse mocha's own summary read.
 */
class SummaryReporter extends Mocha.reporters.Dot {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const { passes, failures, pending } = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
            process.stdout.write(`mocha: ${passes} passed, ${failures} failed, ${pending} skipped\n`);
        });
    }
}

export = SummaryReporter;
