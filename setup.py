from setuptools import find_packages, setup


def read_requirements(path):
    with open(path, encoding='utf-8') as f:
        lines = (line.split('#', 1)[0].strip() for line in f)
        return [line for line in lines if line]


def read_version():
    namespace = {}
    with open('mmseg_uda/version.py', encoding='utf-8') as f:
        exec(f.read(), namespace)
    return namespace['__version__']


setup(
    name='mmseg_uda',
    version=read_version(),
    description='Domain-adaptive semantic segmentation for MMSegmentation 1.x',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['mmseg_uda', 'mmseg_uda.*']),
    python_requires='>=3.8',
    install_requires=read_requirements('requirements/runtime.txt'),
    extras_require={
        'tests': read_requirements('requirements/tests.txt'),
        'docs': read_requirements('requirements/docs.txt'),
    },
    license='Apache License 2.0',
    zip_safe=False,
)
